-- vmport shared database, schema version 1 (SPEC CL-2). MySQL 8 and MariaDB 10.6+.
-- Times are epoch milliseconds, in columns whose names end in _ms.
-- Server names are the configuration names: publisher, subscriber; ports may also belong to 'shared'.

-- The cluster: one row, created by the first node that starts on an empty database.
CREATE TABLE cluster (
    id             TINYINT      NOT NULL,
    integration    VARCHAR(16)  NOT NULL,   -- sip-trunk | sccp | pimg | other-sip
    port_count     INT          NOT NULL,   -- N of SPEC section 3
    created_at_ms  BIGINT       NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT cluster_one_row CHECK (id = 1),
    CONSTRAINT cluster_port_count_positive CHECK (port_count > 0)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- The cluster-wide settings (io.vmport.config.ClusterSettings), one row; hunt order lives here only.
CREATE TABLE cluster_settings (
    id                            TINYINT       NOT NULL,
    auto_failover                 BOOLEAN       NOT NULL,
    auto_failback                 BOOLEAN       NOT NULL,
    failback_hold_down_ms         BIGINT        NOT NULL,
    deactivate_on_backlog         BOOLEAN       NOT NULL,
    replication_backlog_limit     BIGINT        NOT NULL,
    absorb_peer_ports_on_failover BOOLEAN       NOT NULL,
    hunt_order                    VARCHAR(16)   NOT NULL,   -- top-down | circular | longest-idle
    heartbeat_interval_ms         BIGINT        NOT NULL,
    local_heartbeat_timeout_ms    BIGINT        NOT NULL,
    remote_heartbeat_timeout_ms   BIGINT        NOT NULL,
    heartbeat_trace               BOOLEAN       NOT NULL,
    network_check                 VARCHAR(4000) NOT NULL,   -- addresses in order, separated by ','
    updated_at_ms                 BIGINT        NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT cluster_settings_one_row CHECK (id = 1)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- The two servers as each last wrote itself (or as the PRIMARY set the other, fenced by epoch).
CREATE TABLE server (
    name            VARCHAR(16)  NOT NULL,   -- publisher | subscriber
    host            VARCHAR(255) NOT NULL,
    sip_port        INT          NOT NULL,
    admin_port      INT          NOT NULL,
    status          VARCHAR(32)  NOT NULL,   -- upper-case SPEC status name, e.g. PRIMARY
    taking_calls    BOOLEAN      NOT NULL,
    last_update_ms  BIGINT       NOT NULL,
    PRIMARY KEY (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- The PRIMARY role and its fencing token (SPEC ST-13): taken only by
-- UPDATE ... SET epoch = epoch + 1 WHERE id = 1 AND epoch = <expected>.
CREATE TABLE primary_role (
    id             TINYINT     NOT NULL,
    holder         VARCHAR(16) NULL,        -- NULL until a server first takes the role
    epoch          BIGINT      NOT NULL,
    changed_at_ms  BIGINT      NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT primary_role_one_row CHECK (id = 1),
    CONSTRAINT primary_role_epoch_not_negative CHECK (epoch >= 0)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

INSERT INTO primary_role (id, holder, epoch, changed_at_ms) VALUES (1, NULL, 0, 0);

-- The port plan (SPEC PT-1, PT-2), in plan order. Live port state is not stored: it lives in the nodes.
CREATE TABLE port (
    name                VARCHAR(64) NOT NULL,
    plan_order          INT         NOT NULL,
    server              VARCHAR(16) NOT NULL,   -- publisher | subscriber | shared
    integration         VARCHAR(16) NOT NULL,
    enabled             BOOLEAN     NOT NULL,
    answer_calls        BOOLEAN     NOT NULL,
    send_notifications  BOOLEAN     NOT NULL,
    send_mwi            BOOLEAN     NOT NULL,
    PRIMARY KEY (name),
    UNIQUE KEY port_plan_order (plan_order)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- Alarms (SPEC AL-1). The id is made where the alarm is raised and is unique across the cluster, so that
-- a split-brain merge (SPEC ST-12) inserts each alarm once: inserts skip an id that is already there.
CREATE TABLE alarm (
    id            CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,   -- case-sensitive
    raised_at_ms  BIGINT        NOT NULL,
    server        VARCHAR(16)   NOT NULL,
    name          VARCHAR(64)   NOT NULL,
    detail        VARCHAR(2000) NOT NULL,
    PRIMARY KEY (id),
    KEY alarm_newest (raised_at_ms)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- Call records (SPEC CA-6). One per call per server: a SIP call redirected to the other server keeps its
-- Call-ID there. Inserts skip a (call_id, server) already there, so a retry after an outage (SPEC BI-4)
-- or a split-brain merge (SPEC ST-12) never duplicates.
CREATE TABLE call_record (
    call_id         VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,   -- SIP Call-IDs are case-sensitive
    server          VARCHAR(16)  NOT NULL,
    port            VARCHAR(64)  NULL,       -- NULL when no port took the call
    integration     VARCHAR(16)  NOT NULL,
    caller          VARCHAR(128) NULL,
    called          VARCHAR(128) NULL,
    redirecting     VARCHAR(128) NULL,
    offered_at_ms   BIGINT       NOT NULL,
    answered_at_ms  BIGINT       NULL,
    ended_at_ms     BIGINT       NULL,
    outcome         VARCHAR(32)  NOT NULL,
    cause           VARCHAR(255) NULL,
    PRIMARY KEY (call_id, server),
    KEY call_record_newest (offered_at_ms)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
