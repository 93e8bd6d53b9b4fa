package io.tcpscope.analyzer.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.decode.Addresses;
import io.tcpscope.analyzer.tcp.TcpState;
import io.tcpscope.analyzer.testing.Json;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link HostSnapshotParser} against real ss output: samples made by
 * {@code src/test/resources/host/make-samples.py} (sockets in known states, port plan in
 * that script) and the host snapshots of the stuck fixtures, checked against their
 * kernel truth.
 */
class HostSnapshotParserTest {

    static Path sample(String name) throws URISyntaxException {
        URL u = HostSnapshotParserTest.class.getResource("/host/" + name);
        assertNotNull(u, "test resource host/" + name);
        return Path.of(u.toURI());
    }

    static HostAddress v4(String ip, int port) {
        Addresses.Address a = Addresses.parse(ip);
        return new HostAddress(4, 0, a.lo, port, null, false);
    }

    static HostSocket at(HostSnapshot s, String localIp, int localPort, String peerIp, int peerPort) {
        Addresses.Address l = Addresses.parse(localIp);
        Addresses.Address p = Addresses.parse(peerIp);
        return s.find(l.ipVersion, l.hi, l.lo, localPort, p.ipVersion, p.hi, p.lo, peerPort)
            .orElseThrow(() -> new AssertionError("no socket " + localIp + ":" + localPort + " -> " + peerIp + ":"
                + peerPort + " in " + s));
    }

    static HostSnapshot parse(String text) throws HostSnapshotException {
        return HostSnapshotParser.parse("t.ss", new StringReader(text));
    }

    // ------------------------------------------------------------ real samples

    @Test
    void serverSampleWithEveryOption() throws Exception {
        HostSnapshot s = HostSnapshotParser.read(sample("server-tanpoie.ss"));
        assertEquals(HostSnapshot.TakenAt.HEADER, s.takenAt());
        assertEquals("server", s.host());
        assertTrue(s.takenAtNanos().getAsLong() > Instant.parse("2026-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L);
        String sv = "10.85.0.2";
        String cl = "10.85.0.1";
        // 7002: the application never closes; keepalive on
        HostSocket cw = at(s, sv, 7002, cl, 47002);
        assertEquals("CLOSE-WAIT", cw.ssState());
        assertEquals(TcpState.CLOSE_WAIT, cw.state());
        assertEquals(HostTimer.Kind.KEEPALIVE, cw.timer().kind());
        assertTrue(cw.timer().remainingMillis() > 0 && cw.timer().remainingMillis() <= 30_000, cw.toString());
        assertEquals("python3", cw.processes().get(0).name());
        assertTrue(cw.processes().get(0).pid() > 0 && cw.processes().get(0).fd() > 2);
        assertTrue(cw.process().startsWith("python3 (pid "));
        assertEquals("-->", cw.shutdown(), "a FIN was received: receive side shut");
        assertTrue(cw.inode().getAsLong() > 0);
        assertTrue(cw.uid().isEmpty(), "ss -e prints no uid:0 (the lab runs as root)");
        assertNotNull(cw.cookie());
        assertTrue(cw.lastReceiveMillis().isPresent() && cw.lastAckMillis().isPresent());
        assertEquals(Math.min(cw.lastSendMillis().getAsLong(), cw.lastReceiveMillis().getAsLong()),
            cw.silentMillis().getAsLong());
        assertTrue(cw.lastReceiveMillis().getAsLong() > cw.lastAckMillis().getAsLong(),
            "keepalive ACKs are newer than the last data");
        assertEquals("", cw.info().get("sack"));
        assertTrue(cw.info().get("send").endsWith("bps"), cw.info().toString());
        assertEquals("1448", cw.info().get("mss"));
        // 7006: handshake ACK dropped: a request socket, no process, SYN-ACK being resent
        HostSocket rq = at(s, sv, 7006, cl, 47006);
        assertEquals(TcpState.SYN_RECEIVED, rq.state());
        assertEquals(HostTimer.Kind.ON, rq.timer().kind());
        assertTrue(rq.timer().count() >= 1, rq.toString());
        assertTrue(rq.processes().isEmpty());
        // 7008: FIN sent in CLOSE_WAIT, its ACK never comes
        HostSocket la = at(s, sv, 7008, cl, 47008);
        assertEquals(TcpState.LAST_ACK, la.state());
        assertEquals(1, la.sendQ(), "the FIN");
        assertEquals(HostTimer.Kind.ON, la.timer().kind());
        assertEquals("---", la.shutdown());
        // 7009: the client's FIN is in, unread data none, 1 in Recv-Q is the FIN? (ss counts the byte sent)
        assertEquals(TcpState.CLOSE_WAIT, at(s, sv, 7009, cl, 47009).state());
        // 7010: never reads: data in Recv-Q
        HostSocket full = at(s, sv, 7010, cl, 47010);
        assertEquals(TcpState.ESTABLISHED, full.state());
        assertTrue(full.recvQ() > 0);
        // 7011: dual-stack listener, IPv4 client: held as IPv4, marked mapped
        HostSocket mapped = at(s, sv, 7011, cl, 47011);
        assertTrue(mapped.local().mapped() && mapped.peer().mapped());
        assertEquals(4, mapped.local().ipVersion());
        assertEquals("10.85.0.2", mapped.local().ip());
        // 7012: IPv6
        HostSocket six = at(s, "fd85::2", 7012, "fd85::1", 47012);
        assertEquals(6, six.local().ipVersion());
        assertEquals("[fd85::2]:7012", six.local().toString());
        // 7013: link-local with the interface
        HostSocket ll = s.sockets().stream().filter(x -> x.local().port() == 7013 && !x.listening()).findFirst()
            .orElseThrow();
        assertEquals("stp-vb", ll.local().scope());
        assertNull(ll.peer().scope());
        assertTrue(ll.local().ip().startsWith("fe80::"));
        // listeners: 7001..7015, one each
        List<HostSocket> listeners = s.listeners();
        Set<Integer> ports = new TreeSet<>();
        listeners.forEach(l -> ports.add(l.local().port()));
        assertEquals(15, listeners.size(), listeners.toString());
        assertEquals(15, ports.size());
        HostSocket any = listeners.stream().filter(l -> l.local().port() == 7011).findFirst().orElseThrow();
        assertEquals(0, any.local().ipVersion(), "ss prints *:7011");
        assertTrue(any.local().anyAddress());
        assertEquals(HostAddress.ANY_PORT, any.peer().port());
        assertEquals("0", any.details().get("v6only"));
        Addresses.Address svA = Addresses.parse(sv);
        assertEquals(7011, s.listenerFor(4, 0, svA.lo, 7011).orElseThrow().local().port());
        assertEquals(v4(sv, 7001), s.listenerFor(4, 0, svA.lo, 7001).orElseThrow().local());
        assertTrue(s.listenerFor(4, 0, svA.lo, 7999).isEmpty());
        HostSocket dev = listeners.stream().filter(l -> l.local().port() == 7014).findFirst().orElseThrow();
        assertEquals("stp-vb", dev.local().scope());
        assertTrue(dev.local().anyAddress());
        // 7015: backlog 1, never accepted: two connections wait in the accept queue
        HostSocket backlog = listeners.stream().filter(l -> l.local().port() == 7015).findFirst().orElseThrow();
        assertEquals(2, backlog.recvQ());
        assertEquals(1, backlog.sendQ());
        assertEquals(TcpState.ESTABLISHED, at(s, sv, 7015, cl, 47015).state());
        assertTrue(at(s, sv, 7015, cl, 47015).processes().isEmpty(), "not accepted yet: no file holds it");
    }

    @Test
    void clientSampleWithEveryOption() throws Exception {
        HostSnapshot s = HostSnapshotParser.read(sample("client-tanpoie.ss"));
        assertEquals("client", s.host());
        String sv = "10.85.0.2";
        String cl = "10.85.0.1";
        HostSocket orphan = at(s, cl, 47002, sv, 7002);
        assertEquals(TcpState.FIN_WAIT_2, orphan.state());
        assertEquals(HostTimer.Kind.TIMEWAIT, orphan.timer().kind(), "an orphan FIN_WAIT_2 is a timewait socket");
        assertTrue(orphan.processes().isEmpty());
        assertEquals(0, orphan.inode().getAsLong());
        HostSocket half = at(s, cl, 47003, sv, 7003);
        assertEquals(TcpState.FIN_WAIT_2, half.state());
        assertFalse(half.processes().isEmpty(), "shutdown(SHUT_WR): the application still holds it");
        assertEquals("<--", half.shutdown());
        HostSocket tw = at(s, cl, 47004, sv, 7004);
        assertEquals(TcpState.TIME_WAIT, tw.state());
        assertEquals(HostTimer.Kind.TIMEWAIT, tw.timer().kind());
        assertTrue(tw.timer().remainingMillis() > 30_000 && tw.timer().remainingMillis() <= 60_000);
        HostSocket ka = at(s, cl, 47005, sv, 7005);
        assertEquals(TcpState.ESTABLISHED, ka.state());
        assertEquals(HostTimer.Kind.KEEPALIVE, ka.timer().kind());
        assertTrue(ka.timer().remainingMillis() > 30_000 && ka.timer().remainingMillis() <= 60_000);
        HostSocket ss = at(s, cl, 47007, sv, 7007);
        assertEquals(TcpState.SYN_SENT, ss.state());
        assertEquals(HostTimer.Kind.ON, ss.timer().kind());
        assertTrue(ss.timer().count() >= 1);
        assertEquals(TcpState.TIME_WAIT, at(s, cl, 47008, sv, 7008).state(), "the server's FIN arrived");
        HostSocket fw1 = at(s, cl, 47009, sv, 7009);
        assertEquals(TcpState.FIN_WAIT_1, fw1.state());
        assertEquals(HostTimer.Kind.ON, fw1.timer().kind());
        HostSocket persist = at(s, cl, 47010, sv, 7010);
        assertEquals(HostTimer.Kind.PERSIST, persist.timer().kind());
        assertTrue(persist.sendQ() > 0);
        assertEquals(TcpState.SYN_SENT, at(s, cl, 47017, sv, 7015).state(), "accept queue full: SYN dropped");
        assertEquals(TcpState.ESTABLISHED, at(s, cl, 47006, sv, 7006).state(), "its handshake ACK was dropped after it");
        assertEquals(TcpState.ESTABLISHED, at(s, "fd85::1", 47012, "fd85::2", 7012).state());
        // direction-aware: the server's ends first, the client's socket found with firstIsLocal false
        Addresses.Address a = Addresses.parse(sv);
        Addresses.Address b = Addresses.parse(cl);
        HostSnapshot.Match m = s.connection(4, a.hi, a.lo, 7004, 4, b.hi, b.lo, 47004).orElseThrow();
        assertFalse(m.firstIsLocal());
        assertEquals(47004, m.socket().local().port());
        assertTrue(s.connection(4, b.hi, b.lo, 47004, 4, a.hi, a.lo, 7004).orElseThrow().firstIsLocal());
        assertTrue(s.connection(4, b.hi, b.lo, 47004, 4, a.hi, a.lo, 7005).isEmpty());
    }

    @Test
    void theFourFormatsListTheSameSockets() throws Exception {
        for (String side : new String[] {"server", "client"}) {
            Set<String> reference = null;
            for (String opts : new String[] {"tanpoie", "tanoi", "tan", "Htan"}) {
                HostSnapshot s = HostSnapshotParser.read(sample(side + "-" + opts + ".ss"));
                Set<String> here = new TreeSet<>();
                for (HostSocket x : s.sockets()) {
                    here.add(x.state() + " " + x.local() + " " + x.peer());
                    if (opts.equals("tan") || opts.equals("Htan")) {
                        assertNull(x.timer());
                        assertTrue(x.processes().isEmpty() && x.info().isEmpty() && x.uid().isEmpty());
                    }
                }
                assertFalse(here.isEmpty());
                if (!opts.equals("tanpoie")) {
                    assertEquals(HostSnapshot.TakenAt.FILE_MTIME, s.takenAt(), "no header: the file's time");
                }
                if (reference == null) {
                    reference = here;
                } else {
                    assertEquals(reference, here, side + "-" + opts);
                }
            }
        }
    }

    /** The fixtures' host snapshots agree with the kernel truth taken a moment before them. */
    @Test
    void stuckFixtureSnapshotsAgreeWithTheKernelTruth() throws Exception {
        Path fixtures = Path.of(System.getProperty("tcpscope.fixtures", "../fixtures"));
        int checked = 0;
        for (String name : new String[] {"stuck-close-wait-pileup", "stuck-orphan-timeout-rst", "stuck-client-pool",
            "stuck-several-services"}) {
            Path dir = fixtures.resolve(name);
            HostSnapshot client = HostSnapshotParser.read(dir.resolve("host-client.ss"));
            HostSnapshot server = HostSnapshotParser.read(dir.resolve("host-server.ss"));
            assertEquals("client", client.host());
            assertEquals("server", server.host());
            Map<String, Object> truth = Json.object(Json.parse(Files.readString(dir.resolve("truth.json"))));
            for (Object o : Json.array(truth.get("connections"))) {
                Map<String, Object> c = Json.object(o);
                Map<String, Object> cl = Json.object(c.get("client"));
                Map<String, Object> sv = Json.object(c.get("server"));
                Map<String, Object> eps = Json.object(c.get("endpoints"));
                for (String role : new String[] {"client", "server"}) {
                    Map<String, Object> e = Json.object(eps.get(role));
                    String fin = (String) e.get("final");
                    Map<String, Object> me = role.equals("client") ? cl : sv;
                    Map<String, Object> peer = role.equals("client") ? sv : cl;
                    HostSnapshot host = role.equals("client") ? client : server;
                    Addresses.Address l = Addresses.parse((String) me.get("ip"));
                    Addresses.Address p = Addresses.parse((String) peer.get("ip"));
                    var found = host.find(l.ipVersion, l.hi, l.lo, ((Long) me.get("port")).intValue(), p.ipVersion,
                        p.hi, p.lo, ((Long) peer.get("port")).intValue());
                    String where = name + " " + role + " " + me + ": kernel " + fin;
                    if (fin.equals("CLOSED")) {
                        assertTrue(found.isEmpty(), where + ", ss shows " + found);
                    } else {
                        assertEquals(fin, found.orElseThrow(() -> new AssertionError(where + ", not in ss")).state().name(),
                            where);
                    }
                    checked++;
                }
            }
            for (Object o : Json.array(truth.get("not_captured"))) {
                Map<String, Object> n = Json.object(o);
                HostSnapshot host = n.get("host").equals("client") ? client : server;
                Map<String, Object> l = Json.object(n.get("local"));
                Map<String, Object> p = Json.object(n.get("peer"));
                HostSocket x = at(host, (String) l.get("ip"), ((Long) l.get("port")).intValue(), (String) p.get("ip"),
                    ((Long) p.get("port")).intValue());
                assertEquals(n.get("state"), x.state().name());
                checked++;
            }
        }
        assertTrue(checked > 40, "checked " + checked);
    }

    /** The culprits the generator wrote (from its own parse of host-*.ss) are what the snapshots say. */
    @Test
    void stuckFixtureCulpritsAreInTheSnapshots() throws Exception {
        Path fixtures = Path.of(System.getProperty("tcpscope.fixtures", "../fixtures"));
        int culprits = 0;
        for (String name : new String[] {"stuck-close-wait-pileup", "stuck-orphan-timeout-rst", "stuck-client-pool",
            "stuck-several-services"}) {
            Path dir = fixtures.resolve(name);
            Map<String, Object> truth = Json.object(Json.parse(Files.readString(dir.resolve("truth.json"))));
            for (Object o : Json.array(truth.get("culprits"))) {
                Map<String, Object> c = Json.object(o);
                HostSnapshot host = HostSnapshotParser.read(dir.resolve("host-" + c.get("host") + ".ss"));
                Map<String, Object> ep = Json.object(c.get("endpoint"));
                Addresses.Address a = Addresses.parse((String) ep.get("ip"));
                Long port = (Long) ep.get("port");
                long stuck = host.sockets().stream().filter(x -> x.state() == TcpState.CLOSE_WAIT
                    && x.local().is(a.ipVersion, a.hi, a.lo, port != null ? port.intValue() : x.local().port())).count();
                assertEquals(c.get("stuck"), stuck, name + " " + ep);
                assertEquals(port != null, "server".equals(c.get("role")));
                if (port != null) {
                    assertTrue(host.listenerFor(a.ipVersion, a.hi, a.lo, port.intValue()).isPresent(), name + " " + ep);
                }
                culprits++;
            }
        }
        assertEquals(6, culprits, "8080 pile-up, orphan timeout, client pool, three services");
    }

    @Test
    void severalSnapshotsOldestFirstAndPerEndpoint() throws Exception {
        HostSnapshot late = parse("# taken at 2026-12-01T09:00:10Z\nCLOSE-WAIT 0 0 10.0.0.9:8080 10.0.0.1:40000\n");
        HostSnapshot early = parse("# taken at 2026-12-01T09:00:00Z\nESTAB 0 0 10.0.0.9:8080 10.0.0.1:40000\n");
        HostSnapshot other = parse("# taken at 2026-12-01T09:00:05Z\nFIN-WAIT-2 0 0 10.0.0.1:40000 10.0.0.9:8080\n");
        HostSnapshot untimed = parse("LAST-ACK 0 1 10.0.0.9:8080 10.0.0.1:40000\n");
        HostSnapshots all = new HostSnapshots(List.of(untimed, late, other, early));
        assertEquals(List.of(early, other, late, untimed), all.snapshots());
        Addresses.Address sv = Addresses.parse("10.0.0.9");
        Addresses.Address cl = Addresses.parse("10.0.0.1");
        List<HostSnapshots.Seen> server = all.endpoint(4, 0, sv.lo, 8080, 4, 0, cl.lo, 40000);
        assertEquals(List.of(TcpState.ESTABLISHED, TcpState.CLOSE_WAIT, TcpState.LAST_ACK),
            server.stream().map(x -> x.socket().state()).toList());
        assertEquals(TcpState.FIN_WAIT_2, all.latest(4, 0, cl.lo, 40000, 4, 0, sv.lo, 8080).orElseThrow().socket().state());
        assertSame(untimed, all.latest(4, 0, sv.lo, 8080, 4, 0, cl.lo, 40000).orElseThrow().snapshot());
        assertTrue(all.latest(4, 0, sv.lo, 8080, 4, 0, cl.lo, 40001).isEmpty());
    }

    // ------------------------------------------------------- formats, edges

    @Test
    void ssTimerValues() {
        assertEquals(63_000, HostSnapshotParser.parseSsDuration("1min3sec"));
        assertEquals(720_000, HostSnapshotParser.parseSsDuration("12min"));
        assertEquals(52_000, HostSnapshotParser.parseSsDuration("52sec"));
        assertEquals(1_272, HostSnapshotParser.parseSsDuration("1.272ms"), "ss prints 1.272 s as 1.272ms");
        assertEquals(204, HostSnapshotParser.parseSsDuration("204ms"));
        assertEquals(88, HostSnapshotParser.parseSsDuration("088ms"));
        assertEquals(0, HostSnapshotParser.parseSsDuration(""));
        assertEquals(-1, HostSnapshotParser.parseSsDuration("1."));
        assertEquals(-1, HostSnapshotParser.parseSsDuration("soon"));
    }

    @Test
    void takenAtHeader() {
        long t = Instant.parse("2026-12-01T09:00:00Z").getEpochSecond() * 1_000_000_000L;
        assertEquals(t, HostSnapshotParser.parseTime("2026-12-01T09:00:00Z").getAsLong());
        assertEquals(t + 123_456_000L, HostSnapshotParser.parseTime("2026-12-01T09:00:00.123456Z").getAsLong());
        assertEquals(t, HostSnapshotParser.parseTime("2026-12-01T10:00:00+01:00").getAsLong());
        assertEquals(t, HostSnapshotParser.parseTime("2026-12-01 09:00:00z").getAsLong(), "RFC 3339 allows both");
        assertEquals(t, HostSnapshotParser.parseTime(Long.toString(t / 1_000_000_000L)).getAsLong());
        assertEquals(t + 500_000_000L, HostSnapshotParser.parseTime(t / 1_000_000_000L + ".5").getAsLong());
        assertEquals(t, HostSnapshotParser.parseTime("@" + t / 1_000_000_000L).getAsLong(), "date +@%s style");
        assertTrue(HostSnapshotParser.parseTime("yesterday").isEmpty());
        assertTrue(HostSnapshotParser.parseTime("2026-12-01T09:00:00").isEmpty(), "no offset: ambiguous");
    }

    @Test
    void withoutHeaderTheTimeIsTheFilesOrUnknown() throws Exception {
        String body = "ESTAB 0 0 10.0.0.1:40000 10.0.0.9:8080\n";
        assertEquals(HostSnapshot.TakenAt.UNKNOWN, parse(body).takenAt());
        assertTrue(parse(body).takenAtNanos().isEmpty());
        Path f = Files.createTempFile("tcpscope-host", ".ss");
        try {
            Files.writeString(f, body);
            Instant when = Instant.parse("2026-05-04T03:02:01Z");
            Files.setLastModifiedTime(f, FileTime.from(when));
            HostSnapshot s = HostSnapshotParser.read(f);
            assertEquals(HostSnapshot.TakenAt.FILE_MTIME, s.takenAt());
            assertEquals(when.getEpochSecond() * 1_000_000_000L, s.takenAtNanos().getAsLong());
            Files.writeString(f, "# taken at 1764579600\n# host web-1\n# any other comment\n" + body);
            s = HostSnapshotParser.read(f);
            assertEquals(HostSnapshot.TakenAt.HEADER, s.takenAt());
            assertEquals(1_764_579_600_000_000_000L, s.takenAtNanos().getAsLong());
            assertEquals("web-1", s.host());
        } finally {
            Files.delete(f);
        }
    }

    @Test
    void addressForms() throws Exception {
        HostSnapshot s = parse(String.join("\n",
            "ESTAB 0 0 [::ffff:192.0.2.1]:443 [::ffff:198.51.100.7]:51000",
            "ESTAB 0 0 [fe80::1%eth0]:22 [fe80::2]:50000",
            "ESTAB 0 0 192.0.2.1%eth1:80 192.0.2.9:40000",
            "LISTEN 0 128 *:8080 *:*",
            "LISTEN 0 128 [::]:8443 [::]:*",
            "LISTEN 0 128 0.0.0.0:22 0.0.0.0:*", ""));
        HostAddress m = s.sockets().get(0).local();
        assertTrue(m.mapped());
        assertEquals("192.0.2.1", m.ip());
        assertEquals("192.0.2.1:443", m.toString());
        assertEquals("eth0", s.sockets().get(1).local().scope());
        assertEquals("[fe80::1]%eth0:22", s.sockets().get(1).local().toString());
        assertEquals("eth1", s.sockets().get(2).local().scope());
        assertEquals("*:8080", s.sockets().get(3).local().toString());
        assertEquals("*:*", s.sockets().get(3).peer().toString());
        assertTrue(s.sockets().get(4).local().anyAddress());
        assertEquals(6, s.sockets().get(4).local().ipVersion());
        Addresses.Address any6 = Addresses.parse("2001:db8::1");
        assertTrue(s.listenerFor(6, any6.hi, any6.lo, 8443).isPresent());
        assertTrue(s.listenerFor(4, 0, 1, 22).isPresent());
        assertTrue(s.listenerFor(6, any6.hi, any6.lo, 22).isEmpty(), "an IPv4 wildcard takes no IPv6");
        assertEquals(3, s.listeners().size());
    }

    @Test
    void netidColumnAndNoStateColumn() throws Exception {
        HostSnapshot s = parse(String.join("\n",
            "Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process",
            "udp   UNCONN 0      0      0.0.0.0:68        0.0.0.0:*",
            "\t some udp info",
            "tcp   ESTAB  0      0      10.0.0.1:40000    10.0.0.9:8080",
            "u_str ESTAB  0      0      * 1234            * 1235",
            "vsock LISTEN 0      0      local:1024        remote:*",
            "nl    UNCONN 832    0      4:0               *", ""));
        assertEquals(1, s.sockets().size());
        assertEquals(4, s.skippedLines(), "a Netid header: every other protocol is skipped, known or not");
        assertTrue(s.sockets().get(0).info().isEmpty(), "the udp line's continuation is skipped with it");
        // ss -tan state close-wait prints no State column
        HostSnapshot n = parse("Recv-Q Send-Q Local Address:Port Peer Address:Port\n0 0 10.0.0.9:8080 10.0.0.1:40000\n");
        assertNull(n.sockets().get(0).state());
        assertNull(n.sockets().get(0).ssState());
        assertEquals(8080, n.sockets().get(0).local().port());
    }

    @Test
    void processesAndInfo() throws Exception {
        HostSnapshot s = parse(String.join("\n",
            "ESTAB 0 0 10.0.0.1:40000 10.0.0.9:8080 users:((\"Web Content\",pid=77,fd=30),(\"java\",pid=4242,fd=12))"
                + " timer:(on,1min3sec,4) uid:1000 ino:555 sk:ffff8881 cgroup:/user.slice <->",
            "\t cubic wscale:7,7 rto:204 send 8Mbps lastsnd:1234 lastrcv:99 lastack:5 app_limited",
            "TIME-WAIT 0 0 10.0.0.1:40001 10.0.0.9:8080 timer:(timewait,43sec,0) ino:0 sk:2",
            "\t", ""));
        HostSocket a = s.sockets().get(0);
        assertEquals(List.of(new HostProcess("Web Content", 77, 30), new HostProcess("java", 4242, 12)), a.processes());
        assertEquals(new HostTimer(HostTimer.Kind.ON, 63_000, 4), a.timer());
        assertEquals(1000, a.uid().getAsLong());
        assertEquals(555, a.inode().getAsLong());
        assertEquals("ffff8881", a.cookie());
        assertEquals("/user.slice", a.details().get("cgroup"));
        assertEquals("<->", a.shutdown());
        assertEquals("7,7", a.info().get("wscale"));
        assertEquals("8Mbps", a.info().get("send"));
        assertEquals("", a.info().get("cubic"));
        assertEquals("", a.info().get("app_limited"));
        assertEquals(1234, a.lastSendMillis().getAsLong());
        assertEquals(99, a.lastReceiveMillis().getAsLong());
        assertEquals(5, a.lastAckMillis().getAsLong());
        assertEquals(99, a.silentMillis().getAsLong());
        assertEquals(1, a.line());
        HostSocket tw = s.sockets().get(1);
        assertEquals(3, tw.line());
        assertEquals(new HostTimer(HostTimer.Kind.TIMEWAIT, 43_000, 0), tw.timer());
        assertTrue(tw.silentMillis().isEmpty());
        // old ss: users:(("sshd",1234,3))
        HostSocket old = parse("ESTAB 0 0 10.0.0.1:22 10.0.0.9:50000 users:((\"sshd\",1234,3))\n").sockets().get(0);
        assertEquals(new HostProcess("sshd", 1234, 3), old.processes().get(0));
    }

    @Test
    void errorsNameTheFileAndLine() {
        assertError("t.ss:2: not ss output: expected a TCP state (ESTAB, LISTEN, CLOSE-WAIT, ...) or Recv-Q, found 'hello'",
            "ESTAB 0 0 10.0.0.1:1 10.0.0.2:2\nhello world\n");
        assertError("t.ss:1: expected Recv-Q, Send-Q, local and peer address after the state ESTAB, found 2 column(s)",
            "ESTAB 0 0\n");
        assertError("t.ss:1: local address: port 'http' in '10.0.0.1:http' is not a number from 0 to 65535 (run ss with -n: numeric ports)",
            "ESTAB 0 0 10.0.0.1:http 10.0.0.2:2\n");
        assertError("t.ss:1: peer address: 'localhost' in 'localhost:80' is not an IP address (run ss with -n: numeric addresses)",
            "ESTAB 0 0 10.0.0.1:1 localhost:80\n");
        assertError("t.ss:1: cannot read the timer 'timer:(later,5sec,0)' (expected timer:(on|keepalive|timewait|persist,TIME,COUNT))",
            "ESTAB 0 0 10.0.0.1:1 10.0.0.2:2 timer:(later,5sec,0)\n");
        assertError("t.ss:1: indented line before any socket line (ss -i continues the socket above)",
            "\t cubic rto:204\n");
        assertError("t.ss:2: second '# taken at' line (the first is line 1)",
            "# taken at 1764579600\n# taken at 1764579601\n");
        assertError("t.ss:1: '# taken at' needs an RFC 3339 time (2026-12-01T09:00:00Z) or epoch seconds (1764579600), found 'noon'",
            "# taken at noon\n");
        assertError("t.ss:1: Recv-Q and Send-Q must be numbers, found 'x' '0'", "ESTAB x 0 10.0.0.1:1 10.0.0.2:2\n");
        assertError("t.ss:1: lastsnd:soon is not a number of milliseconds", "ESTAB 0 0 10.0.0.1:1 10.0.0.2:2\n\t lastsnd:soon\n");
        assertError("t.ss:1: not a text file (ss output expected)", "\u0000\u0001pcap");
        assertError("t.ss:1: local address: unbalanced brackets in '[::1:80'", "ESTAB 0 0 [::1:80 10.0.0.2:2\n");
    }

    @Test
    void missingFileIsOneLine() {
        HostSnapshotException e = assertThrows(HostSnapshotException.class,
            () -> HostSnapshotParser.read(Path.of("/nonexistent/host.ss")));
        assertEquals("/nonexistent/host.ss: no such file", e.getMessage());
        e = assertThrows(HostSnapshotException.class, () -> HostSnapshotParser.read(Path.of("/tmp")));
        assertEquals("/tmp: is a directory, not an ss snapshot", e.getMessage());
    }

    private static void assertError(String expected, String text) {
        HostSnapshotException e = assertThrows(HostSnapshotException.class, () -> parse(text));
        assertEquals(expected, e.getMessage());
    }
}
