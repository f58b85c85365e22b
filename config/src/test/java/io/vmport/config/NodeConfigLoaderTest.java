package io.vmport.config;

import static io.vmport.config.ConfigAssertions.assertRefusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node bootstrap file (SPEC CL-2) and its refusals (SPEC BI-3): every refusal names the field, the value
 * given and what is allowed, so each mistake test checks all three.
 */
class NodeConfigLoaderTest {
    /** A complete, valid file in block style; the mistake tests change one line of it. */
    private static final String VALID = """
            server: publisher
            sip:
              host: 10.0.0.11
              port: 5060
              allow: [10.0.1.0/24, 10.0.0.21]
            admin:
              host: 127.0.0.1
              port: 8080
              token: s3cret-token
            peer:
              listen: 10.0.0.11:7400
              address: 10.0.0.12:7400
            database:
              url: "jdbc:mysql://db1:3306/vmport"
              user: vmport
              password: db-pass-1
            logLevel: INFO
            cluster:
              integration: sip-trunk
              ports: 16
              settings:
                heartbeatIntervalMs: 500
            """;

    /** Only the required keys: no logLevel, no admin.host, no poolSize, no cluster. */
    private static final String MINIMAL = """
            server: subscriber
            sip: { host: 10.0.0.12, port: 5060, allow: [10.0.1.0/24] }
            admin: { port: 8080, token: s3cret-token }
            peer: { listen: 10.0.0.12:7400, address: 10.0.0.11:7400 }
            database: { url: "jdbc:mysql://db1:3306/vmport", user: vmport, password: db-pass-1 }
            """;

    // ---------------------------------------------------------------- valid files (CL-2)

    @Test
    void cl2_designExampleLoadsWithEveryFieldTyped() throws URISyntaxException {
        Path file = Path.of(getClass().getResource("/design-example.yaml").toURI());

        NodeConfig config = NodeConfigLoader.load(file);

        assertEquals(ServerName.PUBLISHER, config.server());
        assertEquals("127.0.0.1", config.sip().host());
        assertEquals(5060, config.sip().port());
        assertEquals(List.of(Cidr.parse("t", "127.0.0.0/8")), config.sip().allow());
        assertEquals(new AdminConfig("127.0.0.1", 8080, "change-me"), config.admin());
        assertEquals(new HostPort("127.0.0.1", 7400), config.peer().listen());
        assertEquals(new HostPort("127.0.0.1", 7401), config.peer().address());
        assertFalse(config.database().isEmbedded());
        assertEquals("jdbc:mysql://127.0.0.1:3306/vmport", config.database().url());
        assertEquals("vmport", config.database().user());
        assertEquals("vmport", config.database().password());
        assertEquals(LogLevel.INFO, config.logLevel());
        ClusterBootstrap cluster = config.cluster().orElseThrow();
        assertEquals(Integration.SIP_TRUNK, cluster.integration());
        assertEquals(16, cluster.ports());
        // the example gives exactly the SPEC defaults, and an MWI target (MW-1)
        assertEquals(ClusterSettings.defaults().withMwiTarget(Optional.of(new HostPort("127.0.0.1", 5090))),
                cluster.settings());
    }

    @Test
    void cl2_everySettingIsRead() {
        NodeConfig config = parse(VALID.replace("    heartbeatIntervalMs: 500\n", """
                    heartbeatIntervalMs: 200
                    localHeartbeatTimeoutMs: 1000
                    remoteHeartbeatTimeoutMs: 1500
                    heartbeatTrace: true
                    autoFailover: false
                    autoFailback: no
                    failbackHoldDownMs: 0
                    deactivateOnBacklog: true
                    replicationBacklogLimit: 500
                    absorbPeerPortsOnFailover: true
                    huntOrder: longest-idle
                    networkCheck: [10.0.0.1, gw.example.com, "2001:db8::1"]
                    maxMessageSeconds: 120
                    silenceSeconds: 5
                    minMessageSeconds: 2
                    mediaTimeoutSeconds: 45
                    mwiTarget: pbx.example.com:5090
                    mwiSendsPerSecond: 1100
                """));

        ClusterSettings s = config.cluster().orElseThrow().settings();
        assertEquals(new ClusterSettings(false, false, 0, true, 500, true, HuntOrder.LONGEST_IDLE, 200, 1000, 1500,
                true, List.of("10.0.0.1", "gw.example.com", "2001:db8::1"), 120, 5, 2, 45,
                Optional.of(new HostPort("pbx.example.com", 5090)), 1100), s);
        assertEquals(HuntOrder.LONGEST_IDLE, config.cluster().orElseThrow().huntOrder());
    }

    @Test
    void cl2_defaultsApplyToEveryKeyNotGiven() {
        NodeConfig config = parse(MINIMAL);

        assertEquals(ServerName.SUBSCRIBER, config.server());
        assertEquals(AdminConfig.DEFAULT_HOST, config.admin().host());
        assertEquals(LogLevel.INFO, config.logLevel());
        assertEquals(DatabaseConfig.DEFAULT_POOL_SIZE, config.database().poolSize());
        assertEquals(Optional.empty(), config.cluster(), "a node joining an existing cluster needs no cluster block");
    }

    @Test
    void cl2_clusterWithoutSettingsGetsTheSpecDefaults() {
        NodeConfig config = parse(MINIMAL + "cluster: { integration: sccp, ports: 24 }\n");

        ClusterBootstrap cluster = config.cluster().orElseThrow();
        assertEquals(Integration.SCCP, cluster.integration());
        assertEquals(24, cluster.ports());
        assertEquals(ClusterSettings.defaults(), cluster.settings());
    }

    @Test
    void cl2_settingsNotGivenKeepTheirDefaults() {
        NodeConfig config = parse(VALID.replace("heartbeatIntervalMs: 500", "autoFailback: false"));

        ClusterSettings d = ClusterSettings.defaults();
        ClusterSettings s = config.cluster().orElseThrow().settings();
        assertFalse(s.autoFailback());
        assertEquals(d.autoFailover(), s.autoFailover());
        assertEquals(d.heartbeatIntervalMs(), s.heartbeatIntervalMs());
        assertEquals(d.localHeartbeatTimeoutMs(), s.localHeartbeatTimeoutMs());
        assertEquals(d.failbackHoldDownMs(), s.failbackHoldDownMs());
        assertEquals(d.networkCheck(), s.networkCheck());
        assertEquals(d.huntOrder(), s.huntOrder());
        assertEquals(Optional.empty(), s.mwiTarget(), "no MWI unless a target is given (MW-1)");
        assertEquals(ClusterSettings.DEFAULT_MWI_SENDS_PER_SECOND, s.mwiSendsPerSecond(), "MW-3 pacing: 2,000/s");
    }

    @Test
    void pt4_huntOrderMayBeGivenOnTheClusterBlock() {
        NodeConfig config = parse(VALID.replace("  ports: 16\n", "  ports: 16\n  huntOrder: circular\n"));

        assertEquals(HuntOrder.CIRCULAR, config.cluster().orElseThrow().settings().huntOrder());
    }

    @Test
    void cl2_embeddedDatabaseForm() {
        NodeConfig config = parse(VALID.replace("""
                  url: "jdbc:mysql://db1:3306/vmport"
                  user: vmport
                  password: db-pass-1
                """, "  embedded: ./vmport-data\n  poolSize: 4\n"));

        assertTrue(config.database().isEmbedded());
        assertEquals(Path.of("./vmport-data"), config.database().embeddedDir());
        assertEquals(4, config.database().poolSize());
        assertNull(config.database().url());
    }

    @Test
    void cl2_logLevelIsReadInAnyCase() {
        assertEquals(LogLevel.DEBUG, parse(VALID.replace("logLevel: INFO", "logLevel: debug")).logLevel());
    }

    @Test
    void cl2_ipv6Addresses() {
        NodeConfig config = parse(VALID
                .replace("host: 10.0.0.11", "host: \"2001:db8::11\"")
                .replace("allow: [10.0.1.0/24, 10.0.0.21]", "allow: [\"2001:db8:1::/48\"]")
                .replace("listen: 10.0.0.11:7400", "listen: \"[2001:db8::11]:7400\"")
                .replace("address: 10.0.0.12:7400", "address: \"[2001:db8::12]:7400\""));

        assertEquals("2001:db8::11", config.sip().host());
        assertEquals(new HostPort("2001:db8::11", 7400), config.peer().listen());
        assertTrue(config.sip().allows(address("2001:db8:1::99")));
        assertFalse(config.sip().allows(address("10.0.1.1")));
    }

    @Test
    void bi1_sipAllowsOnlyTheListedSources() {
        SipConfig sip = parse(VALID).sip();

        assertTrue(sip.allows(address("10.0.1.200")));
        assertTrue(sip.allows(address("10.0.0.21")));
        assertFalse(sip.allows(address("10.0.0.22")));
        assertFalse(sip.allows(address("10.0.2.1")));
    }

    @Test
    void bi1_overloadTargetDefaultsTo150MsAndMayBeTurnedOff() {
        assertEquals(SipConfig.DEFAULT_OVERLOAD_TARGET_MS, parse(VALID).sip().overloadTargetMs());
        assertEquals(0, parse(VALID.replace("  port: 5060\n", "  port: 5060\n  overloadTargetMs: 0\n"))
                .sip().overloadTargetMs());
        assertEquals(300, parse(VALID.replace("  port: 5060\n", "  port: 5060\n  overloadTargetMs: 300\n"))
                .sip().overloadTargetMs());
    }

    @Test
    void md4_voiceSettingsHaveTheSpecDefaults() {
        ClusterSettings s = parse(VALID).cluster().orElseThrow().settings();
        assertEquals(300, s.maxMessageSeconds());
        assertEquals(10, s.silenceSeconds());
        assertEquals(1, s.minMessageSeconds());
        assertEquals(30, s.mediaTimeoutSeconds());
    }

    @Test
    void bi3_md4_badVoiceSettingsAreRefusedNamingFieldValueAndRange() {
        assertRefusal(refused(VALID.replace("heartbeatIntervalMs: 500", "maxMessageSeconds: 0")),
                "cluster.settings.maxMessageSeconds", "0", "an integer from 1 to 900");
        assertRefusal(refused(VALID.replace("heartbeatIntervalMs: 500", "silenceSeconds: -1")),
                "cluster.settings.silenceSeconds", "-1", "an integer from 1 to 300");
        assertRefusal(refused(VALID.replace("heartbeatIntervalMs: 500", "mediaTimeoutSeconds: 0")),
                "cluster.settings.mediaTimeoutSeconds", "0", "an integer from 1 to 3600");
        // MD-4: a minimum at the maximum would discard every message.
        assertRefusal(refused(VALID.replace("heartbeatIntervalMs: 500", "maxMessageSeconds: 60\n    minMessageSeconds: 60")),
                "cluster.settings.minMessageSeconds", "60", "an integer from 0 to 59");
        ConfigException direct = assertThrows(ConfigException.class, () -> new ClusterSettings(true, true, 0, false,
                1, false, HuntOrder.TOP_DOWN, 500, 3_000, 3_000, false, List.of(), 60, 10, 60, 30));
        assertRefusal(direct, "cluster.settings.minMessageSeconds", "60", "below maxMessageSeconds 60");
    }

    @Test
    void bi3_overloadTargetBelow20MsOrPastT1IsRefused() {
        ConfigException low = refused(VALID.replace("  port: 5060\n", "  port: 5060\n  overloadTargetMs: 10\n"));
        assertRefusal(low, "sip.overloadTargetMs", "10", "20..400");
        ConfigException high = refused(VALID.replace("  port: 5060\n", "  port: 5060\n  overloadTargetMs: 600\n"));
        assertTrue(high.getMessage().contains("sip.overloadTargetMs"), high.getMessage());
        assertTrue(high.getMessage().contains("600"), high.getMessage());
    }

    @Test
    void ca1_redirectMaxRingingPercentDefaultsTo50_isReadAndRefusedOutside0To100() {
        assertEquals(SipConfig.DEFAULT_REDIRECT_MAX_RINGING_PERCENT, parse(VALID).sip().redirectMaxRingingPercent());
        assertEquals(100, parse(VALID.replace("  port: 5060\n", "  port: 5060\n  redirectMaxRingingPercent: 100\n"))
                .sip().redirectMaxRingingPercent());
        ConfigException high = refused(VALID.replace("  port: 5060\n",
                "  port: 5060\n  redirectMaxRingingPercent: 101\n"));
        assertTrue(high.getMessage().contains("sip.redirectMaxRingingPercent"), high.getMessage());
        assertTrue(high.getMessage().contains("101"), high.getMessage());
        ConfigException direct = assertThrows(ConfigException.class, () -> new SipConfig("127.0.0.1", 5060,
                List.of(Cidr.parse("sip.allow", "127.0.0.0/8")), SipConfig.DEFAULT_OVERLOAD_TARGET_MS, -1));
        assertRefusal(direct, "sip.redirectMaxRingingPercent", "-1", "0..100");
    }

    @Test
    void cl2_adminAndSipMayShareAPortNumberOnDifferentHosts() {
        NodeConfig config = parse(VALID.replace("  port: 8080", "  port: 5060"));

        assertEquals(5060, config.admin().port());
    }

    @Test
    void secretsAreNotShownByToString() {
        NodeConfig config = parse(VALID);

        assertFalse(config.toString().contains("s3cret-token"), config.toString());
        assertFalse(config.toString().contains("db-pass-1"), config.toString());
    }

    // ---------------------------------------------------------------- the file itself (BI-3)

    @Test
    void bi3_missingFileIsRefusedNamingThePath(@TempDir Path dir) {
        Path file = dir.resolve("no-such-node.yaml");

        ConfigException e = assertThrows(ConfigException.class, () -> NodeConfigLoader.load(file));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertTrue(e.getMessage().contains("allowed: a readable UTF-8 YAML file"), e.getMessage());
    }

    @Test
    void bi3_directoryIsRefusedNamingThePath(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class, () -> NodeConfigLoader.load(dir));

        assertTrue(e.getMessage().startsWith(dir + ": is a directory"), e.getMessage());
    }

    @Test
    void bi3_unreadableFileIsRefusedNamingThePath(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("node.yaml"), VALID);
        assertTrue(file.toFile().setReadable(false));
        try {
            assumeFalse(Files.isReadable(file), "running as root: no file is unreadable");
            ConfigException e = assertThrows(ConfigException.class, () -> NodeConfigLoader.load(file));

            assertTrue(e.getMessage().contains(file + ": the configuration file cannot be read"), e.getMessage());
        } finally {
            file.toFile().setReadable(true);
        }
    }

    @Test
    void bi3_fileNotUtf8IsRefused(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("node.yaml"), new byte[] {'s', ':', ' ', (byte) 0xff, (byte) 0xfe});

        ConfigException e = assertThrows(ConfigException.class, () -> NodeConfigLoader.load(file));

        assertTrue(e.getMessage().contains(file + ": the configuration file is not UTF-8 text"), e.getMessage());
    }

    @Test
    void bi3_loadNamesTheFileAndLineOfAFieldMistake(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("node.yaml"), VALID.replace("port: 5060", "port: abc"));

        ConfigException e = assertThrows(ConfigException.class, () -> NodeConfigLoader.load(file));

        assertTrue(e.getMessage().startsWith(file + ", line 4: configuration field 'sip.port'"), e.getMessage());
    }

    @Test
    void bi3_notYamlIsRefusedWithLineAndColumn() {
        ConfigException e = refused(VALID.replace("allow: [10.0.1.0/24, 10.0.0.21]", "allow: [10.0.1.0/24, 10.0.0.21"));

        assertTrue(e.getMessage().startsWith("node.yaml, line 6, column 6: not valid YAML: "), e.getMessage());
        assertTrue(e.getMessage().contains("expected ',' or ']'"), e.getMessage());
        assertEquals(YamlReader.YAML_TEXT, e.allowed());
    }

    @Test
    void bi3_tabIndentationIsRefusedWithLineAndColumn() {
        ConfigException e = refused(VALID.replace("  port: 5060", "\tport: 5060"));

        assertTrue(e.getMessage().startsWith("node.yaml, line 4, column 1: not valid YAML: "), e.getMessage());
        assertTrue(e.getMessage().contains("TAB"), e.getMessage());
    }

    @Test
    void bi3_emptyFileIsRefused() {
        ConfigException e = refused("# only a comment\n");

        assertEquals("node.yaml: the configuration is empty; allowed: a YAML map with the keys server, sip, "
                + "admin, peer, database, logLevel, cluster, media", e.getMessage());
    }

    @Test
    void bi3_topLevelListIsRefused() {
        ConfigException e = refused("- server\n- sip\n");

        assertRefusal(e, "(top level)", "[server, sip]", "a map with the keys server, sip, admin");
    }

    @Test
    void bi3_secondDocumentIsRefused() {
        ConfigException e = refused(VALID + "---\nserver: subscriber\n");

        // line 24: where the second document's content starts (its --- is on line 23)
        assertTrue(e.getMessage().startsWith("node.yaml, line 24: a second YAML document starts here"),
                e.getMessage());
    }

    @Test
    void bi3_keyGivenTwiceIsRefusedWithoutShowingItsValue() {
        ConfigException e = refused(VALID.replace("  token: s3cret-token\n",
                "  token: s3cret-token\n  token: other-token\n"));

        assertEquals("node.yaml, line 10: configuration field 'admin.token' is given twice (first on line 9); "
                + "allowed: each key once in a map", e.getMessage());
    }

    @Test
    void bi3_aliasIsRefused() {
        ConfigException e = refused(VALID.replace("server: publisher", "x: &name publisher\nserver: *name"));

        assertRefusal(e, "server", "*name", "aliases (*name) are not supported");
    }

    // ---------------------------------------------------------------- missing fields (BI-3)

    @Test
    void bi3_missingServerIsRefused() {
        ConfigException e = refused(VALID.replace("server: publisher\n", ""));

        assertRefusal(e, "server", null, "publisher or subscriber");
        assertTrue(e.getMessage().contains("configuration field 'server' is missing"), e.getMessage());
    }

    @Test
    void bi3_missingSipPortIsRefused() {
        ConfigException e = refused(VALID.replace("  port: 5060\n", ""));

        assertRefusal(e, "sip.port", null, "an integer from 1 to 65535");
        assertTrue(e.getMessage().startsWith("node.yaml, line 2: "), "the line of the sip block: " + e.getMessage());
    }

    @Test
    void bi3_missingSectionIsRefused() {
        ConfigException e = refused(VALID.replace("""
                peer:
                  listen: 10.0.0.11:7400
                  address: 10.0.0.12:7400
                """, ""));

        assertRefusal(e, "peer", null, "a map with the keys listen, address");
    }

    @Test
    void bi3_missingTokenIsRefused() {
        ConfigException e = refused(VALID.replace("  token: s3cret-token\n", ""));

        assertRefusal(e, "admin.token", null, AdminConfig.TOKEN_TEXT);
    }

    @Test
    void bi3_missingClusterPortsIsRefused() {
        ConfigException e = refused(VALID.replace("  ports: 16\n", ""));

        assertRefusal(e, "cluster.ports", null, "an integer from 1 to 10000");
    }

    @Test
    void bi3_emptyValueIsRefused() {
        ConfigException e = refused(VALID.replace("port: 5060", "port:"));

        assertRefusal(e, "sip.port", "", "an integer from 1 to 65535");
    }

    // ---------------------------------------------------------------- wrong types (BI-3)

    @Test
    void bi3_textForAPortIsRefused() {
        ConfigException e = refused(VALID.replace("port: 5060", "port: abc"));

        assertEquals("node.yaml, line 4: configuration field 'sip.port' has value 'abc'; "
                + "allowed: an integer from 1 to 65535", e.getMessage());
    }

    @Test
    void bi3_fractionForAnIntegerIsRefused() {
        ConfigException e = refused(VALID.replace("ports: 16", "ports: 16.5"));

        assertRefusal(e, "cluster.ports", "16.5", "an integer from 1 to 10000");
    }

    @Test
    void bi3_octalLookingPortIsRefusedNotReadAsOctal() {
        // YAML 1.1 reads 05060 as octal 2608: a node silently listening on 2608 would be worse than refusing.
        ConfigException e = refused(VALID.replace("port: 5060", "port: 05060"));

        assertRefusal(e, "sip.port", "05060", "an integer from 1 to 65535, in decimal digits");
    }

    @Test
    void quotedDecimalIntegerIsRead() {
        assertEquals(5060, parse(VALID.replace("port: 5060", "port: \"5060\"")).sip().port());
    }

    @Test
    void bi3_listWhereAMapIsExpectedIsRefused() {
        ConfigException e = refused(VALID.replace("""
                admin:
                  host: 127.0.0.1
                  port: 8080
                  token: s3cret-token
                """, "admin: [127.0.0.1, 8080]\n"));

        assertRefusal(e, "admin", "[127.0.0.1, 8080]", "a map with the keys host, port, token");
    }

    @Test
    void bi3_mapWhereAStringIsExpectedIsRefused() {
        ConfigException e = refused(VALID.replace("server: publisher", "server: { name: publisher }"));

        assertRefusal(e, "server", "{name: publisher}", "publisher or subscriber");
    }

    @Test
    void bi3_scalarWhereAListIsExpectedIsRefused() {
        ConfigException e = refused(VALID.replace("allow: [10.0.1.0/24, 10.0.0.21]", "allow: 10.0.1.0/24"));

        assertRefusal(e, "sip.allow", "10.0.1.0/24", SipConfig.ALLOW_TEXT);
    }

    @Test
    void bi3_numberWhereAStringIsExpectedIsRefusedWithAHintToQuote() {
        ConfigException e = refused(VALID.replace("user: vmport", "user: 0123"));

        assertRefusal(e, "database.user", "0123", "put quotes around a value");
    }

    @Test
    void bi3_notABooleanIsRefused() {
        ConfigException e = refused(VALID.replace("heartbeatIntervalMs: 500", "autoFailover: maybe"));

        assertRefusal(e, "cluster.settings.autoFailover", "maybe", "true or false");
    }

    @Test
    void bi3_secretOfTheWrongTypeIsNotShown() {
        ConfigException e = refused(VALID.replace("password: db-pass-1", "password: 123456"));

        assertRefusal(e, "database.password", "(hidden, 6 characters)", DatabaseConfig.PASSWORD_TEXT);
        assertFalse(e.getMessage().contains("123456"), e.getMessage());
    }

    // ---------------------------------------------------------------- out of range (BI-3)

    @Test
    void bi3_portAboveRangeIsRefused() {
        ConfigException e = refused(VALID.replace("port: 5060", "port: 70000"));

        assertRefusal(e, "sip.port", "70000", "an integer from 1 to 65535");
    }

    @Test
    void bi3_portZeroIsRefused() {
        ConfigException e = refused(VALID.replace("port: 8080", "port: 0"));

        assertRefusal(e, "admin.port", "0", "an integer from 1 to 65535");
    }

    @Test
    void bi3_hugeNumberIsRefusedNotWrapped() {
        ConfigException e = refused(VALID.replace("ports: 16", "ports: 4294967312"));

        assertRefusal(e, "cluster.ports", "4294967312", "an integer from 1 to 10000");
    }

    @Test
    void bi3_portCountOutOfRangeIsRefused() {
        assertRefusal(refused(VALID.replace("ports: 16", "ports: 0")), "cluster.ports", "0",
                "an integer from 1 to 10000");
        assertRefusal(refused(VALID.replace("ports: 16", "ports: 10001")), "cluster.ports", "10001",
                "an integer from 1 to 10000");
    }

    @Test
    void bi3_heartbeatIntervalOutOfRangeIsRefused() {
        ConfigException e = refused(VALID.replace("heartbeatIntervalMs: 500", "heartbeatIntervalMs: 5"));

        assertRefusal(e, "cluster.settings.heartbeatIntervalMs", "5", "an integer from 10 to 60000");
    }

    @Test
    void bi3_st11_timeoutShorterThanTwoIntervalsIsRefused() {
        ConfigException e = refused(VALID.replace("heartbeatIntervalMs: 500",
                "heartbeatIntervalMs: 500\n    remoteHeartbeatTimeoutMs: 999"));

        assertRefusal(e, "cluster.settings.remoteHeartbeatTimeoutMs", "999", "an integer from 1000 to 600000");
    }

    @Test
    void bi3_st11_defaultTimeoutThatNoLongerFitsAskForAValueInsteadOfBeingAdjusted() {
        // default local timeout 3000 < 2 x 2000: the admin must choose, nothing is quietly raised.
        ConfigException e = refused(VALID.replace("heartbeatIntervalMs: 500", "heartbeatIntervalMs: 2000"));

        assertRefusal(e, "cluster.settings.localHeartbeatTimeoutMs", null,
                "an integer from 4000 to 600000 (its default, 3000, is not, so give a value)");
    }

    @Test
    void bi3_failbackHoldDownOutOfRangeIsRefused() {
        ConfigException e = refused(VALID.replace("heartbeatIntervalMs: 500", "failbackHoldDownMs: -1"));

        assertRefusal(e, "cluster.settings.failbackHoldDownMs", "-1", "an integer from 0 to 86400000");
    }

    @Test
    void bi3_poolSizeOutOfRangeIsRefused() {
        ConfigException e = refused(VALID.replace("  user: vmport\n", "  user: vmport\n  poolSize: 101\n"));

        assertRefusal(e, "database.poolSize", "101", "an integer from 1 to 100");
    }

    // ---------------------------------------------------------------- database timeouts (BI-3, BI-4, issue 18)

    private static final String GALERA_URL = "jdbc:mysql://db1:3306,db2:3306,db3:3306/vmport";

    @Test
    void bi4_databaseTimeoutsDefaultAndAreRead() {
        assertEquals(DatabaseTimeouts.DEFAULTS, NodeConfigLoader.parse(VALID, "node.yaml").database().timeouts());
        NodeConfig config = NodeConfigLoader.parse(VALID.replace("db1:3306/vmport", "db1:3306,db2:3306/vmport")
                .replace("  user: vmport\n", "  user: vmport\n  connectTimeoutMs: 500\n  socketTimeoutMs: 8000\n"
                        + "  ownNodeTimeoutMs: 700\n"), "node.yaml");
        assertEquals(new DatabaseTimeouts(500, 8_000, 700), config.database().timeouts());
    }

    @Test
    void bi3_socketTimeoutZeroWithSeveralHostsIsRefused() {
        ConfigException e = refused(VALID.replace("jdbc:mysql://db1:3306/vmport", GALERA_URL)
                .replace("  user: vmport\n", "  user: vmport\n  socketTimeoutMs: 0\n"));

        assertRefusal(e, "database.socketTimeoutMs", "0", "with several hosts");
        assertEquals(0, NodeConfigLoader.parse(VALID.replace("  user: vmport\n", "  user: vmport\n  socketTimeoutMs: 0\n"),
                "node.yaml").database().timeouts().socketTimeoutMs(), "one host: no limit is allowed");
    }

    @Test
    void bi3_databaseTimeoutsOutOfRangeAreRefused() {
        assertRefusal(refused(VALID.replace("  user: vmport\n", "  user: vmport\n  connectTimeoutMs: 50\n")),
                "database.connectTimeoutMs", "50", "an integer from 100 to 60000");
        assertRefusal(refused(VALID.replace("  user: vmport\n", "  user: vmport\n  socketTimeoutMs: 500\n")),
                "database.socketTimeoutMs", "500", "an integer from 1000 to 3600000");
        assertRefusal(refused(VALID.replace("  user: vmport\n", "  user: vmport\n  ownNodeTimeoutMs: 99\n")),
                "database.ownNodeTimeoutMs", "99", "an integer from 100 to 60000");
        assertRefusal(refused(VALID.replace("  user: vmport\n", "  user: vmport\n  socketTimeoutMs: 2000\n"
                + "  ownNodeTimeoutMs: 2000\n")), "database.ownNodeTimeoutMs", "2000", "less than socketTimeoutMs (2000)");
    }

    @Test
    void bi3_databaseTimeoutsWithTheEmbeddedDatabaseAreRefused() {
        ConfigException e = refused(VALID.replace("""
                  url: "jdbc:mysql://db1:3306/vmport"
                  user: vmport
                  password: db-pass-1
                """, "  embedded: ./vmport-data\n  socketTimeoutMs: 5000\n"));

        assertRefusal(e, "database", "embedded with socketTimeoutMs", "the timeouts with url only");
    }

    // ---------------------------------------------------------------- unknown names (BI-3)

    @Test
    void bi3_unknownIntegrationIsRefusedListingTheNames() {
        ConfigException e = refused(VALID.replace("integration: sip-trunk", "integration: h323"));

        assertRefusal(e, "cluster.integration", "h323", "one of sip-trunk, sccp, pimg, other-sip");
    }

    @Test
    void bi3_unknownHuntOrderIsRefusedListingTheNames() {
        ConfigException e = refused(VALID.replace("heartbeatIntervalMs: 500", "huntOrder: random"));

        assertRefusal(e, "cluster.settings.huntOrder", "random", "one of top-down, circular, longest-idle");
    }

    @Test
    void bi3_unknownServerIsRefusedListingTheNames() {
        ConfigException e = refused(VALID.replace("server: publisher", "server: primary"));

        assertRefusal(e, "server", "primary", "publisher or subscriber");
    }

    @Test
    void bi3_unknownLogLevelIsRefusedListingTheNames() {
        ConfigException e = refused(VALID.replace("logLevel: INFO", "logLevel: VERBOSE"));

        assertRefusal(e, "logLevel", "VERBOSE", "one of TRACE, DEBUG, INFO, WARN, ERROR");
    }

    @Test
    void bi3_huntOrderGivenTwiceIsRefused() {
        ConfigException e = refused(VALID.replace("  ports: 16\n", "  ports: 16\n  huntOrder: circular\n")
                .replace("heartbeatIntervalMs: 500", "huntOrder: circular"));

        assertRefusal(e, "cluster.settings.huntOrder", "circular", "not both");
    }

    // ---------------------------------------------------------------- unknown keys (BI-3)

    @Test
    void bi3_settingsKeyTypoIsRefusedNotIgnored() {
        ConfigException e = refused(VALID.replace("heartbeatIntervalMs: 500", "heartbeatIntervalMS: 500"));

        assertEquals("cluster.settings.heartbeatIntervalMS", e.field());
        assertEquals("heartbeatIntervalMS", e.value());
        assertTrue(e.getMessage().startsWith("node.yaml, line 22: configuration field "
                + "'cluster.settings.heartbeatIntervalMS' is not a known key; allowed: the keys of cluster.settings: "
                + "heartbeatIntervalMs, localHeartbeatTimeoutMs, remoteHeartbeatTimeoutMs, heartbeatTrace, "
                + "autoFailover, autoFailback, failbackHoldDownMs, deactivateOnBacklog, replicationBacklogLimit, "
                + "absorbPeerPortsOnFailover, huntOrder, networkCheck, maxMessageSeconds, silenceSeconds, "
                + "minMessageSeconds, mediaTimeoutSeconds, mwiTarget, mwiSendsPerSecond"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(did you mean 'heartbeatIntervalMs'?)"), e.getMessage());
    }

    @Test
    void bi3_unknownTopLevelKeyIsRefused() {
        ConfigException e = refused(VALID + "loglevel: DEBUG\n");

        assertRefusal(e, "loglevel", "loglevel",
                "the keys of the top level: server, sip, admin, peer, database, logLevel, cluster");
        assertTrue(e.getMessage().endsWith("(did you mean 'logLevel'?)"), e.getMessage());
    }

    @Test
    void bi3_unknownKeyInASectionIsRefused() {
        ConfigException e = refused(VALID.replace("  port: 5060\n", "  port: 5060\n  transport: tcp\n"));

        assertRefusal(e, "sip.transport", "transport", "the keys of sip: host, port, allow");
    }

    @Test
    void bi3_unknownKeyIsReportedBeforeAnyValueMistake() {
        ConfigException e = refused(VALID.replace("port: 5060", "prot: 5060"));

        assertRefusal(e, "sip.prot", "prot", "the keys of sip: host, port, allow, overloadTargetMs, redirectMaxRingingPercent (did you mean 'port'?)");
    }

    // ---------------------------------------------------------------- addresses (BI-3)

    @Test
    void bi3_cidrWithHostBitsIsRefusedWithTheNetworkMeant() {
        ConfigException e = refused(VALID.replace("10.0.1.0/24", "10.0.1.5/24"));

        assertRefusal(e, "sip.allow[0]", "10.0.1.5/24", "did you mean 10.0.1.0/24?");
    }

    @Test
    void bi3_cidrWithBadPrefixIsRefused() {
        ConfigException e = refused(VALID.replace("10.0.1.0/24", "10.0.1.0/33"));

        assertRefusal(e, "sip.allow[0]", "10.0.1.0/33", "the prefix after / is 0 to 32");
    }

    @Test
    void bi3_hostNameInAllowListIsRefused() {
        ConfigException e = refused(VALID.replace("10.0.0.21]", "pbx.example.com]"));

        assertRefusal(e, "sip.allow[1]", "pbx.example.com", Cidr.ALLOWED);
    }

    @Test
    void bi3_emptyAllowListIsRefused() {
        ConfigException e = refused(VALID.replace("allow: [10.0.1.0/24, 10.0.0.21]", "allow: []"));

        assertRefusal(e, "sip.allow", "[]", SipConfig.ALLOW_TEXT);
    }

    @Test
    void bi3_badHostIsRefused() {
        ConfigException e = refused(VALID.replace("host: 10.0.0.11", "host: 10.0.0.256"));

        assertRefusal(e, "sip.host", "10.0.0.256", Hosts.HOST_TEXT);
    }

    @Test
    void bi3_hostPortWithoutPortIsRefused() {
        ConfigException e = refused(VALID.replace("address: 10.0.0.12:7400", "address: 10.0.0.12"));

        assertRefusal(e, "peer.address", "10.0.0.12", HostPort.ALLOWED + " (the port is missing)");
    }

    @Test
    void bi3_hostPortWithBadPortIsRefused() {
        ConfigException e = refused(VALID.replace("listen: 10.0.0.11:7400", "listen: 10.0.0.11:74000"));

        assertRefusal(e, "peer.listen", "10.0.0.11:74000", HostPort.ALLOWED);
    }

    @Test
    void bi3_unbracketedIpv6HostPortIsRefused() {
        ConfigException e = refused(VALID.replace("listen: 10.0.0.11:7400", "listen: \"2001:db8::11:7400\""));

        assertRefusal(e, "peer.listen", "2001:db8::11:7400", "an IPv6 address goes in brackets");
    }

    @Test
    void bi3_badNetworkCheckEntryIsRefused() {
        ConfigException e = refused(VALID.replace("heartbeatIntervalMs: 500", "networkCheck: [10.0.0.1, 10.0.0]"));

        assertRefusal(e, "cluster.settings.networkCheck[1]", "10.0.0", Hosts.HOST_TEXT);
    }

    @Test
    void bi3_mwiTargetWithoutPortIsRefused() {
        ConfigException e = refused(VALID.replace("heartbeatIntervalMs: 500", "mwiTarget: 10.0.0.9"));

        assertRefusal(e, "cluster.settings.mwiTarget", "10.0.0.9", "the port is missing");
    }

    @Test
    void bi3_mwiTargetWithBadPortIsRefused() {
        ConfigException e = refused(VALID.replace("heartbeatIntervalMs: 500", "mwiTarget: \"10.0.0.9:0\""));

        assertRefusal(e, "cluster.settings.mwiTarget", "10.0.0.9:0", HostPort.ALLOWED);
    }

    @Test
    void bi3_mwiSendsPerSecondOutOfRangeIsRefused() {
        for (String value : List.of("0", "9", "100001", "-5")) {
            ConfigException e = refused(VALID.replace("heartbeatIntervalMs: 500", "mwiSendsPerSecond: " + value));

            assertRefusal(e, "cluster.settings.mwiSendsPerSecond", value, "an integer from 10 to 100000");
        }
    }

    @Test
    void mw3_mwiSendsPerSecondAtItsBoundsIsAccepted() {
        for (int value : List.of(10, 100_000)) {
            ClusterSettings s = parse(VALID.replace("heartbeatIntervalMs: 500", "mwiSendsPerSecond: " + value))
                    .cluster().orElseThrow().settings();

            assertEquals(value, s.mwiSendsPerSecond());
        }
    }

    @Test
    void bi3_mwiSendsPerSecondNotANumberIsRefused() {
        ConfigException e = refused(VALID.replace("heartbeatIntervalMs: 500", "mwiSendsPerSecond: fast"));

        assertRefusal(e, "cluster.settings.mwiSendsPerSecond", "fast", "an integer from 10 to 100000");
    }

    @Test
    void bi3_mwiSendsPerSecondOutOfRangeIsRefusedByTheRecord() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ClusterSettings.defaults().withMwiSendsPerSecond(200_000));

        assertTrue(e.getMessage().contains("cluster.settings.mwiSendsPerSecond"), e.getMessage());
        assertTrue(e.getMessage().contains("200000"), e.getMessage());
        assertTrue(e.getMessage().contains("an integer from 10 to 100000"), e.getMessage());
    }

    @Test
    void bi3_emptyNetworkCheckIsRefused() {
        ConfigException e = refused(VALID.replace("heartbeatIntervalMs: 500", "networkCheck: []"));

        assertRefusal(e, "cluster.settings.networkCheck", "[]", "set autoFailover: false");
    }

    // ---------------------------------------------------------------- database forms (BI-3)

    @Test
    void bi3_databaseWithBothFormsIsRefused() {
        ConfigException e = refused(VALID.replace("  user: vmport\n", "  user: vmport\n  embedded: ./data\n"));

        assertRefusal(e, "database", "embedded and url, user, password", DatabaseConfig.FORMS_TEXT);
    }

    @Test
    void bi3_databaseWithNeitherFormIsRefused() {
        ConfigException e = refused(VALID.replace("""
                  url: "jdbc:mysql://db1:3306/vmport"
                  user: vmport
                  password: db-pass-1
                """, "  poolSize: 5\n"));

        assertRefusal(e, "database", "neither url nor embedded", DatabaseConfig.FORMS_TEXT);
    }

    @Test
    void bi3_databaseWithoutPasswordIsRefused() {
        ConfigException e = refused(VALID.replace("  password: db-pass-1\n", ""));

        assertRefusal(e, "database.password", null, DatabaseConfig.PASSWORD_TEXT);
    }

    @Test
    void bi3_databaseUrlOfAnotherKindIsRefused() {
        ConfigException e = refused(VALID.replace("jdbc:mysql://db1:3306/vmport", "jdbc:postgresql://db1/vmport"));

        assertRefusal(e, "database.url", "jdbc:postgresql://db1/vmport", DatabaseConfig.URL_TEXT);
    }

    @Test
    void bi3_emptyEmbeddedDirectoryIsRefused() {
        ConfigException e = refused(VALID.replace("""
                  url: "jdbc:mysql://db1:3306/vmport"
                  user: vmport
                  password: db-pass-1
                """, "  embedded: \"\"\n"));

        assertRefusal(e, "database.embedded", "", DatabaseConfig.DIR_TEXT);
    }

    // ---------------------------------------------------------------- admin token (BI-3, PM-4)

    @Test
    void bi3_blankTokenIsRefused() {
        ConfigException e = refused(VALID.replace("token: s3cret-token", "token: \"   \""));

        assertRefusal(e, "admin.token", "   ", AdminConfig.TOKEN_TEXT);
    }

    @Test
    void bi3_emptyTokenIsRefusedShowingItEmpty() {
        ConfigException e = refused(VALID.replace("token: s3cret-token", "token:"));

        assertRefusal(e, "admin.token", "", AdminConfig.TOKEN_TEXT);
    }

    @Test
    void bi3_tokenWithASpaceIsRefusedWithoutShowingIt() {
        ConfigException e = refused(VALID.replace("token: s3cret-token", "token: \"s3cret token\""));

        assertRefusal(e, "admin.token", "(hidden, 12 characters)", AdminConfig.TOKEN_TEXT);
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    }

    // ---------------------------------------------------------------- across fields (BI-3)

    @Test
    void bi3_adminOnTheSipPortOfTheSameHostIsRefused() {
        ConfigException e = refused(VALID.replace("host: 127.0.0.1", "host: 10.0.0.11").replace("port: 8080",
                "port: 5060"));

        assertRefusal(e, "admin.port", "5060", "a port other than sip.port (5060) when both listen on the same host");
    }

    @Test
    void bi3_adminOnTheSipPortOfAWildcardHostIsRefused() {
        ConfigException e = refused(VALID.replace("host: 10.0.0.11", "host: 0.0.0.0").replace("port: 8080",
                "port: 5060"));

        assertRefusal(e, "admin.port", "5060", "a port other than sip.port (5060)");
    }

    @Test
    void bi3_peerListenEqualToPeerAddressIsRefused() {
        ConfigException e = refused(VALID.replace("address: 10.0.0.12:7400", "address: 10.0.0.11:7400"));

        assertRefusal(e, "peer.address", "10.0.0.11:7400", "different from peer.listen (10.0.0.11:7400)");
    }

    @Test
    void bi3_peerListenOnTheSipPortIsRefused() {
        ConfigException e = refused(VALID.replace("listen: 10.0.0.11:7400", "listen: 10.0.0.11:5060"));

        assertRefusal(e, "peer.listen", "10.0.0.11:5060", "other than the SIP listener's (10.0.0.11:5060)");
    }

    // ---------------------------------------------------------------- helpers

    private static NodeConfig parse(String yaml) {
        return NodeConfigLoader.parse(yaml, "node.yaml");
    }

    private static ConfigException refused(String yaml) {
        return assertThrows(ConfigException.class, () -> parse(yaml));
    }

    private static InetAddress address(String literal) {
        return Hosts.ipLiteral(literal).orElseThrow();
    }
}
