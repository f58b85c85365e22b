package io.vmport.engine.ports;

import io.vmport.config.ConfigException;
import io.vmport.config.Integration;
import io.vmport.config.ServerName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SPEC PT-1 (and the configured half of PT-2). */
class PortPlanTest {

    @Test
    void pt1_sccp_nDevicesPerServer_namedAndOwnedByOneServerEach() {
        PortPlan plan = PortPlan.of(Integration.SCCP, 16);
        assertEquals(32, plan.size(), "2N devices on the phone system");
        assertEquals(16, plan.count(ServerName.PUBLISHER));
        assertEquals(16, plan.count(ServerName.SUBSCRIBER));
        assertEquals(0, plan.count(PortOwner.SHARED));
        assertEquals("pub-sccp-001", plan.port(0).name());
        assertEquals("pub-sccp-016", plan.port(15).name());
        assertEquals("sub-sccp-001", plan.port(16).name());
        assertEquals(PortOwner.PUBLISHER, plan.owner(0));
        assertEquals(PortOwner.SUBSCRIBER, plan.owner(16));
        assertEquals(16, plan.firstIndex(PortOwner.SUBSCRIBER));
        assertFalse(plan.isSplitSip());
    }

    @Test
    void pt1_sipTrunk_halfEach_oddNGivesThePublisherTheExtraPort() {
        PortPlan even = PortPlan.of(Integration.SIP_TRUNK, 16);
        assertEquals(16, even.size());
        assertEquals(8, even.count(ServerName.PUBLISHER));
        assertEquals(8, even.count(ServerName.SUBSCRIBER));

        PortPlan odd = PortPlan.of(Integration.SIP_TRUNK, 7);
        assertEquals(7, odd.size());
        assertEquals(4, odd.count(ServerName.PUBLISHER));
        assertEquals(3, odd.count(ServerName.SUBSCRIBER));
        assertEquals("pub-sip-004", odd.port(3).name());
        assertEquals("sub-sip-001", odd.port(4).name());
        assertTrue(odd.isSplitSip());
    }

    @Test
    void pt1_otherSip_halfEach_likeTheTrunk() {
        PortPlan plan = PortPlan.of(Integration.OTHER_SIP, 5);
        assertEquals(3, plan.count(ServerName.PUBLISHER));
        assertEquals(2, plan.count(ServerName.SUBSCRIBER));
        assertEquals("pub-osip-001", plan.port(0).name());
        assertTrue(plan.isSplitSip());
    }

    @Test
    void pt1_pimg_nSharedPortsNumberedAsTheGatewayPorts() {
        PortPlan plan = PortPlan.of(Integration.PIMG, 12);
        assertEquals(12, plan.size());
        assertEquals(12, plan.count(PortOwner.SHARED));
        assertEquals(0, plan.count(ServerName.PUBLISHER));
        assertEquals(0, plan.count(ServerName.SUBSCRIBER));
        for (int i = 0; i < 12; i++) {
            Port p = plan.port(i);
            assertEquals(PortOwner.SHARED, p.owner());
            assertNull(p.owner().server());
            assertEquals(i + 1, p.number());
            assertEquals(i, plan.indexOfGatewayPort(i + 1));
        }
        assertEquals("pimg-007", plan.port(6).name());
        assertEquals(-1, plan.indexOfGatewayPort(0));
        assertEquals(-1, plan.indexOfGatewayPort(13));
        assertTrue(plan.isShared());
    }

    @Test
    void pt1_namesAreUniqueAndWidenForLargeN() {
        PortPlan plan = PortPlan.of(Integration.SCCP, 1500);
        Set<String> names = new HashSet<>();
        for (Port p : plan.ports()) {
            assertTrue(names.add(p.name()), p.name());
        }
        assertEquals("pub-sccp-0001", plan.port(0).name());
        assertEquals(1500, plan.indexOf("sub-sccp-0001"));
    }

    @Test
    void pt1_validation_refusesBadN_namingFieldValueAndWhatIsAllowed() {
        ConfigException e = assertThrows(ConfigException.class, () -> PortPlan.of(Integration.SIP_TRUNK, 1));
        assertEquals("cluster.ports", e.field());
        assertEquals("1", e.value());
        assertTrue(e.allowed().contains("from 2"), e.allowed());
        assertThrows(ConfigException.class, () -> PortPlan.of(Integration.SCCP, 0));
        assertThrows(ConfigException.class, () -> PortPlan.of(Integration.PIMG, -3));
        assertThrows(ConfigException.class, () -> PortPlan.of(Integration.PIMG, PortPlan.MAX_N + 1));
        assertEquals(1, PortPlan.of(Integration.PIMG, 1).size());
        assertEquals(2, PortPlan.of(Integration.SCCP, 1).size());
    }

    @Test
    void pt1_storedPortsMustHaveTheDerivedShape() {
        PortPlan shape = PortPlan.of(Integration.SIP_TRUNK, 4);
        List<Port> stored = new ArrayList<>(shape.ports());
        stored.set(1, stored.get(1).withEnabled(false).withCapabilities(true, false, false));
        PortPlan plan = PortPlan.of(Integration.SIP_TRUNK, 4, stored);
        assertFalse(plan.port(1).enabled());
        assertFalse(plan.port(1).sendsMwi());

        List<Port> wrongOwner = new ArrayList<>(shape.ports());
        Port p = wrongOwner.get(0);
        wrongOwner.set(0, new Port(0, p.name(), PortOwner.SUBSCRIBER, p.integration(), 1, true, true, true, true));
        assertThrows(ConfigException.class, () -> PortPlan.of(Integration.SIP_TRUNK, 4, wrongOwner));

        List<Port> dupName = new ArrayList<>(shape.ports());
        Port q = dupName.get(1);
        dupName.set(1, new Port(1, dupName.get(0).name(), q.owner(), q.integration(), q.number(), true, true, true,
                true));
        assertThrows(ConfigException.class, () -> PortPlan.of(Integration.SIP_TRUNK, 4, dupName));
        assertThrows(ConfigException.class, () -> PortPlan.of(Integration.SIP_TRUNK, 4, shape.ports().subList(0, 3)));
    }

    @Test
    void pt2_eachPortHasNameOwnerIntegrationEnabledAndCapabilities() {
        Port p = PortPlan.of(Integration.SCCP, 2).port(3);
        assertEquals("sub-sccp-002", p.name());
        assertEquals(PortOwner.SUBSCRIBER, p.owner());
        assertEquals("subscriber", p.owner().configName());
        assertEquals(Integration.SCCP, p.integration());
        assertTrue(p.enabled());
        assertTrue(p.answersCalls());
        assertTrue(p.sendsNotifications());
        assertTrue(p.sendsMwi());
        assertEquals("shared", PortOwner.SHARED.configName());
        assertThrows(ConfigException.class, () -> new Port(0, " ", PortOwner.SHARED, Integration.PIMG, 1, true, true,
                true, true));
    }
}
