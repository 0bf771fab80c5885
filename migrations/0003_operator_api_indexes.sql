-- Indexes for the operator API's lists. Every list is newest first by (received_at, seq) and pages
-- with a keyset cursor on those two columns, so each filter has an index that starts with the
-- filtered column and continues in list order (an index ends with the rowid, which is seq).
-- One filter is served by its index; further filters are checked on the rows that index yields.
CREATE INDEX events_received ON events (received_at);
CREATE INDEX events_carrier_received ON events (carrier, received_at);
CREATE INDEX events_type_received ON events (type, received_at);
CREATE INDEX events_status_received ON events (status, received_at);
CREATE INDEX events_tracking_received ON events (tracking_number, received_at);
CREATE INDEX events_state_received ON events (state, received_at);

-- The quarantine list filtered by carrier (unfiltered, it uses quarantine_received from 0001).
CREATE INDEX quarantine_carrier_received ON quarantine (carrier, received_at DESC, id DESC);
