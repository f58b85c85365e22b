-- vmport shared database, schema version 2: voice on the ports (SPEC section 7).

-- The recording and media settings (SPEC MD-4, MD-5), with the SPEC defaults for a cluster made by version 1.
ALTER TABLE cluster_settings
    ADD COLUMN max_message_seconds   BIGINT NOT NULL DEFAULT 300,
    ADD COLUMN silence_seconds       BIGINT NOT NULL DEFAULT 10,
    ADD COLUMN min_message_seconds   BIGINT NOT NULL DEFAULT 1,
    ADD COLUMN media_timeout_seconds BIGINT NOT NULL DEFAULT 30;

-- Mailboxes (SPEC MS-3): one per extension, with its own greeting if one was uploaded.
CREATE TABLE mailbox (
    extension      VARCHAR(32)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,   -- digits
    name           VARCHAR(128) NOT NULL,
    greeting       MEDIUMBLOB   NULL,       -- 8 kHz mono WAV; NULL: the system greeting says the extension
    created_at_ms  BIGINT       NOT NULL,
    PRIMARY KEY (extension)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- Messages (SPEC MS-1). The id is made by the node that recorded it, so that a write retried after a database
-- outage (SPEC MS-2) or a split-brain merge (ST-12) inserts it once: inserts skip an id that is already there.
-- No foreign key to mailbox: a message spooled while its mailbox was deleted must still insert, not block the
-- writer; deleting a mailbox deletes its messages in the same transaction.
CREATE TABLE message (
    id              CHAR(36)     CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    mailbox         VARCHAR(32)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    caller          VARCHAR(128) NULL,
    server          VARCHAR(16)  NOT NULL,
    port            VARCHAR(64)  NOT NULL,
    received_at_ms  BIGINT       NOT NULL,
    duration_ms     BIGINT       NOT NULL,
    heard           BOOLEAN      NOT NULL,
    audio           LONGBLOB     NOT NULL,  -- 8 kHz mono WAV; 300 s of 16-bit PCM is 4.8 MB
    PRIMARY KEY (id),
    KEY message_newest (mailbox, received_at_ms)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
