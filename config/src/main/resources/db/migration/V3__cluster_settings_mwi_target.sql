-- SPEC MW-1: where the PRIMARY sends MWI NOTIFYs (host:port, UDP); NULL: no MWI. Issue 14.
ALTER TABLE cluster_settings ADD COLUMN mwi_target VARCHAR(300) NULL;
