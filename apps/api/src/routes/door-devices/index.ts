import { createRouter } from "../../router.js";
import { listDoorDevicesRoutes } from "./list-door-devices.js";
import { revokeDoorDeviceRoutes } from "./revoke-door-device.js";
import { setUpDoorDeviceRoutes } from "./set-up-door-device.js";

/** Door devices: tablets a coordinator sets up to record at the door of one centre (docs/security.md). */
export const doorDeviceRoutes = createRouter()
  .route("/", setUpDoorDeviceRoutes)
  .route("/", listDoorDevicesRoutes)
  .route("/", revokeDoorDeviceRoutes);
