-- Indexes for the shipments list (GET /api/shipments, the dashboard's Shipments page). The list is
-- newest last carrier event first, keyset-paged on (last_event_at, carrier, tracking_number), so
-- each filter has an index that starts with the filtered column and continues in list order.
CREATE INDEX shipments_last_event ON shipments (last_event_at, carrier, tracking_number);
CREATE INDEX shipments_carrier_last_event ON shipments (carrier, last_event_at, tracking_number);
-- One status: a range of this index, already in list order. Several: one range per status.
CREATE INDEX shipments_status_last_event ON shipments (status, last_event_at, carrier, tracking_number);
-- quiet_for_hours: only shipments still on their way. Delivered and cancelled ones are most of an old
-- table, so a partial index keeps "quiet for 72 h" a short range instead of a walk past all of them.
-- The list's query spells this WHERE exactly, which is what lets SQLite use the index.
CREATE INDEX shipments_open_last_event ON shipments (last_event_at, carrier, tracking_number)
  WHERE status NOT IN ('delivered', 'cancelled');
-- updated_since: when parcelhook recorded the shipment's last change (a late event counts when it arrived).
CREATE INDEX shipments_updated ON shipments (updated_at);
