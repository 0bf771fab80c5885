import type { CanonicalStatus } from "../../events/normalized-event";

/** InPost's 53 status names (`GET /v1/statuses`), grouped as in ../shared/carriers.md. */
export const INPOST_STATUSES: Record<string, CanonicalStatus> = {
  created: "pending",
  offers_prepared: "pending",
  offer_selected: "pending",
  confirmed: "pending",

  dispatched_by_sender: "picked_up",
  dispatched_by_sender_to_pok: "picked_up",
  collected_from_sender: "picked_up",
  taken_by_courier: "picked_up",

  taken_by_courier_from_pok: "in_transit",
  adopted_at_source_branch: "in_transit",
  sent_from_source_branch: "in_transit",
  adopted_at_sorting_center: "in_transit",
  sent_from_sorting_center: "in_transit",
  adopted_at_target_branch: "in_transit",
  readdressed: "in_transit",
  redirect_to_box: "in_transit",
  canceled_redirect_to_box: "in_transit",
  unstack_from_customer_service_point: "in_transit",
  unstack_from_box_machine: "in_transit",

  delay_in_delivery: "delivery_delayed",

  out_for_delivery: "out_for_delivery",
  out_for_delivery_to_address: "out_for_delivery",

  ready_to_pickup: "ready_for_pickup",
  ready_to_pickup_from_pok: "ready_for_pickup",
  ready_to_pickup_from_pok_registered: "ready_for_pickup",
  ready_to_pickup_from_branch: "ready_for_pickup",
  pickup_reminder_sent: "ready_for_pickup",
  courier_avizo_in_customer_service_point: "ready_for_pickup",
  avizo: "ready_for_pickup",

  stack_in_customer_service_point: "on_hold",
  stack_in_box_machine: "on_hold",
  stack_parcel_pickup_time_expired: "on_hold",
  stack_parcel_in_box_machine_pickup_time_expired: "on_hold",
  oversized: "on_hold",
  claimed: "on_hold",

  pickup_reminder_sent_address: "delivery_failed",
  pickup_time_expired: "delivery_failed",
  rejected_by_receiver: "delivery_failed",
  undelivered: "delivery_failed",
  undelivered_wrong_address: "delivery_failed",
  undelivered_incomplete_address: "delivery_failed",
  undelivered_unknown_receiver: "delivery_failed",
  undelivered_cod_cash_receiver: "delivery_failed",
  undelivered_no_mailbox: "delivery_failed",
  undelivered_not_live_address: "delivery_failed",
  undelivered_lack_of_access_letterbox: "delivery_failed",
  missing: "delivery_failed",

  delivered: "delivered",
  return_pickup_confirmation_to_sender: "delivered",

  returned_to_sender: "return_to_sender",
  taken_by_courier_from_customer_service_point: "return_to_sender",

  canceled: "cancelled",

  other: "unknown",
};

/** The canonical status of an InPost status name; a name not in the list is stored as `unknown`, never rejected. */
export function inpostStatus(name: string): CanonicalStatus {
  return Object.hasOwn(INPOST_STATUSES, name) ? (INPOST_STATUSES[name] as CanonicalStatus) : "unknown";
}
