-- SPEC MW-3: MWI NOTIFYs the PRIMARY starts per second at most (the pacing of every mailbox's state after a
-- failover). Issue 14; ClusterSettings.DEFAULT_MWI_SENDS_PER_SECOND.
ALTER TABLE cluster_settings ADD COLUMN mwi_sends_per_second INT NOT NULL DEFAULT 2000;
