// This browser as a door device (routes/door-devices in the API): once a coordinator has set it up, it
// records at the door of one centre with no staff session, through closed tabs and offline starts. The
// credential itself is an HttpOnly cookie script never sees; what is kept here is the device's name, its
// centre and the CSRF token its writes carry — useless without the cookie.

import type { Session } from "./api.js";

const KEY = "halte-door-device";

export interface StoredDoorDevice {
  id: string;
  name: string;
  centreId: string;
  csrfToken: string;
}

export function storedDoorDevice(): StoredDoorDevice | null {
  try {
    const device = JSON.parse(localStorage.getItem(KEY) ?? "null") as StoredDoorDevice | null;
    return device?.id && device.csrfToken ? device : null;
  } catch {
    return null;
  }
}

export function rememberDoorDevice(device: StoredDoorDevice): void {
  localStorage.setItem(KEY, JSON.stringify(device));
}

/** Forgets the device (it was revoked): the next start shows the sign-in page. */
export function forgetDoorDevice(): void {
  localStorage.removeItem(KEY);
}

/**
 * The session a door device works under: the door page only (reception's menu, narrowed further by the
 * API), at its one centre, with its CSRF token.
 */
export function doorDeviceSession(): Session | null {
  const device = storedDoorDevice();
  if (!device) return null;
  return {
    user: {
      id: device.id,
      email: "",
      name: device.name,
      role: "reception",
      centreId: device.centreId,
      partnerId: null,
    },
    csrfToken: device.csrfToken,
    // A device has no session to expire: it works until revoked.
    expiresAt: "",
  };
}
