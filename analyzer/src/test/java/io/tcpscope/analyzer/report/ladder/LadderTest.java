package io.tcpscope.analyzer.report.ladder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.analyzer.engine.ConnectionObserver;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.engine.Pipeline;
import io.tcpscope.analyzer.tcp.Endpoint;
import io.tcpscope.analyzer.tcp.OsProfile;
import io.tcpscope.analyzer.tcp.SegmentKind;
import io.tcpscope.analyzer.tcp.TcpState;
import io.tcpscope.analyzer.testing.Golden;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.PacketSource;
import io.tcpscope.capture.file.CaptureFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ladders of real fixtures: golden text (UTF-8 and ASCII) and SVG, and what a ladder must show
 * whatever its drawing: every kept segment once, each endpoint's transitions on its own side in
 * timeline order, implied segments, folds, the tap position; the segment log's bound.
 */
class LadderTest {

    static List<ConnectionRecord> records(String fixture, int head, int tail) throws Exception {
        Path capture = Path.of(System.getProperty("tcpscope.fixtures", "../fixtures"), fixture, "capture.pcap");
        List<ConnectionRecord> records = new ArrayList<>();
        List<ConnectionObserver.Factory> f = List.of(SegmentLog.factory(head, tail, id -> true));
        Pipeline p = new Pipeline(OsProfile.LINUX, Pipeline.Settings.defaults(), records::add, f);
        try (PacketSource source = CaptureFiles.open(capture)) {
            Frame fr;
            while ((fr = source.next()) != null) {
                p.onFrame(fr);
            }
        }
        p.finish();
        records.sort(Comparator.comparingLong(ConnectionRecord::id));
        return records;
    }

    static ConnectionRecord first(String fixture) throws Exception {
        return records(fixture, SegmentLog.LADDER_HEAD, SegmentLog.LADDER_TAIL).get(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"stuck-fin-wait-2", "simultaneous-close", "loss-syn-ack", "bulk-random-loss", "loss-both-fins"})
    void goldenFiles(String fixture) throws Exception {
        Ladder ladder = Ladder.of(first(fixture), false);
        Golden.check(new TextLadder(false, false).render(ladder), "ladder/" + fixture + ".txt");
        Golden.check(new TextLadder(true, false).render(ladder), "ladder/" + fixture + ".ascii.txt");
        Golden.check(new SvgLadder(false).render(ladder), "ladder/" + fixture + ".svg");
    }

    @ParameterizedTest
    @ValueSource(strings = {"stuck-fin-wait-2", "simultaneous-close", "loss-syn-ack", "bulk-random-loss", "refused",
        "midstream", "fin-lost-before-capture", "rst-by-server", "ipv6-simultaneous-close"})
    void everySegmentAndEveryTransitionOnce(String fixture) throws Exception {
        for (ConnectionRecord r : records(fixture, SegmentLog.LADDER_HEAD, SegmentLog.LADDER_TAIL)) {
            SegmentLog.Segments segs = r.observation(SegmentLog.Segments.class);
            assertNotNull(segs);
            Ladder full = Ladder.of(r, true);
            List<Long> frames = full.rows().stream().filter(x -> x.kind() == Ladder.Kind.SEGMENT)
                    .map(Ladder.Row::frame).collect(Collectors.toList());
            List<Long> kept = new ArrayList<>();
            for (int i = 0; i < segs.size(); i++) {
                kept.add(segs.get(i).frame());
            }
            assertEquals(kept, frames, fixture + " " + r.id() + ": one arrow per segment, in capture order");
            for (Endpoint.Role role : Endpoint.Role.values()) {
                List<TcpState> drawn = full.rows().stream().map(x -> x.state(role)).filter(t -> t != null)
                        .map(t -> t.state()).collect(Collectors.toList());
                List<TcpState> timeline = r.side(role).timeline().stream().map(t -> t.state()).collect(Collectors.toList());
                assertEquals(timeline, drawn, fixture + " " + r.id() + " " + role + ": every transition on its side");
            }
            String ascii = new TextLadder(true, false).render(Ladder.of(r, false));
            assertTrue(ascii.chars().allMatch(c -> c < 128), fixture + ": ASCII only\n" + ascii);
        }
    }

    @Test
    void theCapturesMissingSynAckIsDrawnDashedFromTheServer() throws Exception {
        Ladder l = Ladder.of(first("loss-syn-ack"), false);
        List<Ladder.Row> implied = l.rows().stream().filter(r -> r.kind() == Ladder.Kind.IMPLIED).toList();
        assertEquals(1, implied.size(), l.rows().toString());
        assertEquals(Endpoint.Role.SERVER, implied.get(0).sender());
        assertEquals("SYN,ACK", implied.get(0).label());
        assertTrue(new TextLadder(false, false).render(l).contains("\u25c1\u2504"), "dashed, towards the client");
    }

    @Test
    void bothFinsTheCaptureMissedAreDrawnDashedFromTheirSenders() throws Exception {
        Ladder l = Ladder.of(first("loss-both-fins"), false);
        List<Ladder.Row> implied = l.rows().stream().filter(r -> r.kind() == Ladder.Kind.IMPLIED).toList();
        assertEquals(List.of("FIN", "FIN"), implied.stream().map(Ladder.Row::label).toList());
        assertEquals(List.of(Endpoint.Role.SERVER, Endpoint.Role.CLIENT), implied.stream().map(Ladder.Row::sender).toList());
        int first = l.rows().indexOf(implied.get(0));
        assertEquals(TcpState.CLOSE_WAIT, l.rows().get(first + 1).client().state(), "the ACK that proves it follows");
    }

    @Test
    void aLongTransferIsFoldedAndFullUnfoldsIt() throws Exception {
        ConnectionRecord r = first("bulk-random-loss");
        Ladder folded = Ladder.of(r, false);
        Ladder full = Ladder.of(r, true);
        List<Ladder.Row> folds = folded.rows().stream().filter(x -> x.kind() == Ladder.Kind.FOLD).toList();
        assertEquals(1, folds.size());
        long inFold = folds.get(0).fold().segments();
        long shown = folded.rows().stream().filter(x -> x.kind() == Ladder.Kind.SEGMENT).count();
        long all = full.rows().stream().filter(x -> x.kind() == Ladder.Kind.SEGMENT).count();
        assertEquals(all, shown + inFold, "the fold counts what it hides");
        assertTrue(full.rows().stream().noneMatch(x -> x.kind() == Ladder.Kind.FOLD));
        assertTrue(folded.rows().size() < 40, "fits a screen: " + folded.rows().size());
        long retrans = full.rows().stream().filter(Ladder.Row::retransmission).count();
        long retransShown = folded.rows().stream().filter(Ladder.Row::retransmission).count();
        assertEquals(retrans, retransShown + folds.get(0).fold().retransmissions());
        assertTrue(retrans > 0, "the fixture has retransmissions");
    }

    @Test
    void stuckFinWait2ShowsBothSidesOfTheHalfClose() throws Exception {
        String text = new TextLadder(false, false).render(Ladder.of(first("stuck-fin-wait-2"), false));
        assertTrue(text.contains("FIN_WAIT_2 (assumed) \u2502\u25c0"), "client's state on the client's side\n" + text);
        assertTrue(text.contains("\u2502 CLOSE_WAIT (evidence)"), "server's state on the server's side\n" + text);
        assertTrue(text.contains("STUCK_FIN_WAIT_2"));
    }

    private static SegmentLog.Segment seg(Endpoint.Role who, int flags, long nanos) {
        return new SegmentLog.Segment(who, flags, 0, (flags & TcpSegment.ACK) != 0 ? 1 : -1, 0, 100, SegmentKind.IN_ORDER,
                true, nanos, nanos);
    }

    private static Ladder.TapPosition tap(long synAck, long ack) {
        return Ladder.tap(SegmentLog.Segments.of(List.of(seg(Endpoint.Role.CLIENT, TcpSegment.SYN, 0),
                seg(Endpoint.Role.SERVER, TcpSegment.SYN | TcpSegment.ACK, synAck),
                seg(Endpoint.Role.CLIENT, TcpSegment.ACK, ack))));
    }

    @Test
    void tapPositionFromTheHandshakeLegs() {
        assertEquals(Ladder.Tap.NEAR_CLIENT, tap(20_000_000, 20_050_000).tap());
        assertEquals(Ladder.Tap.NEAR_SERVER, tap(50_000, 20_050_000).tap());
        assertEquals(Ladder.Tap.MIDDLE, tap(10_000_000, 20_000_000).tap());
        assertEquals(20_000_000, tap(20_000_000, 20_050_000).serverLegNanos());
        assertEquals(50_000, tap(20_000_000, 20_050_000).clientLegNanos());
        assertNull(Ladder.tap(SegmentLog.Segments.of(List.of(seg(Endpoint.Role.CLIENT, TcpSegment.ACK, 0)))),
                "no handshake, no position");
    }

    @Test
    void theLogKeepsItsHeadAndTailAndFoldsTheMiddle() {
        SegmentLog log = new SegmentLog(5, 3);
        TcpSegment s = new TcpSegment();
        s.flags = TcpSegment.ACK;
        s.payloadLength = 10;
        for (int i = 1; i <= 10_000; i++) {
            log.segment(i % 2 == 0 ? Endpoint.Role.CLIENT : Endpoint.Role.SERVER, s, i, i, SegmentKind.IN_ORDER, true, i,
                    i * 1000L);
        }
        SegmentLog.Segments segs = log.result(null);
        assertEquals(8, segs.size());
        assertEquals(5, segs.foldAt());
        List<Long> frames = new ArrayList<>();
        for (int i = 0; i < segs.size(); i++) {
            frames.add(segs.get(i).frame());
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 9998L, 9999L, 10000L), frames);
        assertEquals(10_000 - 8, segs.dropped().segments());
        assertEquals((10_000 - 8) * 10L, segs.dropped().bytes());
        assertEquals(6000L, segs.dropped().firstNanos());
        assertEquals(9997_000L, segs.dropped().lastNanos());
    }

    @Test
    void asciiWhenTheLocaleIsNotUtf8() {
        assertTrue(TextLadder.asciiLocale(Map.of()));
        assertTrue(TextLadder.asciiLocale(Map.of("LANG", "C")));
        assertFalse(TextLadder.asciiLocale(Map.of("LANG", "en_US.UTF-8")));
        assertTrue(TextLadder.asciiLocale(Map.of("LC_ALL", "POSIX", "LANG", "en_US.UTF-8")), "LC_ALL first");
        assertFalse(TextLadder.asciiLocale(Map.of("LC_CTYPE", "C.utf8")));
    }
}
