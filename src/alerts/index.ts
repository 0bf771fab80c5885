export { ALERT_NAMES, type Alert, type AlertName } from "./alert";
export { checkAlerts } from "./check-alerts";
