-- The user each card was shown to, as a keyed hash (HMAC-SHA256, lower-case hex), so that the
-- store can answer for feedback on a card the service no longer holds in memory (after a restart,
-- or once newer cards have taken its place): shown_card then holds everything a feedback event
-- needs. Cards recorded before this version have no user (NULL): feedback on them is refused as
-- on an unknown card, since it could not be attributed.
-- The same SQL runs on PostgreSQL and on H2 in its PostgreSQL compatibility mode.
ALTER TABLE shown_card ADD COLUMN user_hash CHAR(64);
