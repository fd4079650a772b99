// Query functions for this table are being written.
export {};
