package io.tcpscope.analyzer.report;

import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.analyzer.engine.ConnectionObserver;
import io.tcpscope.analyzer.tcp.Connection;
import io.tcpscope.analyzer.tcp.Endpoint;
import io.tcpscope.analyzer.tcp.SegmentKind;

/**
 * Zeek's view of one TCP connection, built packet by packet the way Zeek 7 builds it, for
 * {@code --format zeek}: the endpoint states of {@code TCPSessionAdapter} (INACTIVE, SYN_SENT,
 * SYN_ACK_SENT, PARTIAL, ESTABLISHED, CLOSED, RESET; src/packet_analysis/protocol/tcp/
 * TCPSessionAdapter.cc {@code UpdateStateMachine}), the history letters ({@code update_history},
 * {@code TCP_Endpoint::CheckHistory}, the scaled T/W/G of {@code Session::ScaledHistoryEntry}),
 * the role flips ({@code TCPAnalyzer::WantConnection} with {@code likely_server_ports}, the SYN /
 * SYN-ACK reversal, the flip of a connection that began with a SYN-ACK once it carries an ACK or
 * data), sizes ({@code TCP_Endpoint::Size}), content gaps as {@code TCP_Reassembler} reports
 * them on ACKs, and the ConnSize analyzer's packet and IP byte counts. It reads the segments
 * only, not tcpscope's own endpoint machines, so it reaches Zeek's conclusions from the same
 * evidence. Bounded: two endpoints of counters, a history of at most {@link #MAX_HISTORY}
 * letters, at most {@link #MAX_BLOCKS} out-of-order data ranges per direction.
 *
 * <p>Not modelled: checksums (Zeek tests run with {@code -C}), Zeek's own connection
 * lifetime (tcpscope's pipeline decides where a connection ends), application analyzers
 * ({@code service} stays unset).
 */
public final class ZeekConn implements ConnectionObserver {
    /** Longest history kept (Zeek has no limit; the letters repeat only for new SYN/FIN/RST sequence numbers). */
    public static final int MAX_HISTORY = 64;
    /** Data ranges above a hole kept per direction; past it the oldest is dropped (as if delivered). */
    public static final int MAX_BLOCKS = 16;

    /** Zeek's TCP endpoint states (scripts/base/init-bare.zeek TCP_INACTIVE...). */
    public enum State { INACTIVE, SYN_SENT, SYN_ACK_SENT, PARTIAL, ESTABLISHED, CLOSED, RESET }

    private static final int HIST_SYN_PKT = 0x1;
    private static final int HIST_FIN_PKT = 0x2;
    private static final int HIST_RST_PKT = 0x4;
    private static final int HIST_FIN_RST_PKT = 0x8;
    private static final int HIST_DATA_PKT = 0x10;
    private static final int HIST_ACK_PKT = 0x20;
    private static final int HIST_MULTI_FLAG_PKT = 0x40;
    private static final long TOO_LARGE_SEQ_DELTA = 1048576;
    /** Zeek's tcp_attempt_delay and tcp_close_delay (scripts/base/init-bare.zeek): 5 s each. */
    static final long ATTEMPT_DELAY_NANOS = 5_000_000_000L;
    static final long CLOSE_DELAY_NANOS = 5_000_000_000L;

    /**
     * Zeek's {@code likely_server_ports} for TCP: the ports its default analyzers register
     * (scripts/base/protocols/&#42;/main.zeek).
     */
    static final int[] LIKELY_SERVER_PORTS = {21, 22, 23, 25, 53, 79, 80, 81, 88, 135, 139, 143, 389, 443, 445, 465,
        502, 513, 514, 563, 585, 587, 614, 631, 636, 989, 990, 992, 993, 995, 1080, 1434, 1883, 2811, 3128, 3268, 3306,
        3389, 5222, 5223, 5269, 5432, 6379, 6666, 6667, 6668, 6669, 8000, 8080, 8888, 20000};

    /**
     * What Zeek would log of the connection: the rows of its conn.log (usually one; more when
     * Zeek would have removed the connection and started a new one on a later packet).
     */
    public record Result(java.util.List<Row> rows) {
        public Result {
            rows = java.util.List.copyOf(rows);
        }
    }

    /** One conn.log row. */
    public record Row(Endpoint.Role origRole, boolean flipped, State origState, State respState, long origSize,
                         long respSize, String history, long startNanos, long lastNanos, long origPackets,
                         long origIpBytes, long respPackets, long respIpBytes, long missedBytes) {

        /** Zeek's {@code conn_state} (scripts/base/protocols/conn/main.zeek). */
        public String connState() {
            State os = origState;
            State rs = respState;
            boolean oInactive = os == State.INACTIVE || os == State.PARTIAL;
            boolean rInactive = rs == State.INACTIVE || rs == State.PARTIAL;
            if (rs == State.RESET) {
                if (os == State.SYN_SENT || os == State.SYN_ACK_SENT
                        || (os == State.RESET && origSize == 0 && respSize == 0)) {
                    return "REJ";
                }
                return oInactive ? "RSTRH" : "RSTR";
            }
            if (os == State.RESET) {
                if (rInactive) {
                    return history.matches("\\^?S[^HAFGIQ]*R.*") ? "RSTOS0" : "OTH";
                }
                return "RSTO";
            }
            if (rs == State.CLOSED && os == State.CLOSED) {
                return "SF";
            }
            if (os == State.CLOSED) {
                return rInactive ? "SH" : "S2";
            }
            if (rs == State.CLOSED) {
                return oInactive ? "SHR" : "S3";
            }
            if (os == State.SYN_SENT && rs == State.INACTIVE) {
                return "S0";
            }
            if (os == State.ESTABLISHED && rs == State.ESTABLISHED) {
                return "S1";
            }
            return "OTH";
        }
    }

    /** One direction: Zeek's {@code TCP_Endpoint} and the part of its reassembler that finds gaps. */
    private static final class Ep {
        final Endpoint.Role role;
        boolean isOrig;
        Ep peer;
        State state = State.INACTIVE;
        State prevState = State.INACTIVE;
        // Sequence numbers in a 64-bit space that follows wrap-around: raw 32-bit values are
        // extended relative to refRaw/refExt.
        long refExt;
        int refRaw;
        boolean refSet;
        long startSeq;
        long lastSeq;
        long ackSeq;
        int finCnt;
        int rstCnt;
        long finSeq;
        long histLastSyn;
        long histLastFin;
        long histLastRst;
        boolean didClose;
        int rxmtCnt;
        int rxmtThresh = 1;
        int win0Cnt;
        int win0Thresh = 1;
        int gapCnt;
        int gapThresh = 1;
        long packets;
        long ipBytes;
        // Reassembler (relative sequence numbers; data starts at 1).
        long lastReassem = 1;
        long trimSeq = 1;
        final long[] blockSeq = new long[MAX_BLOCKS];
        final long[] blockUpper = new long[MAX_BLOCKS];
        int blocks;

        Ep(Endpoint.Role role, boolean isOrig) {
            this.role = role;
            this.isOrig = isOrig;
        }

        long ext(int raw) {
            if (!refSet) {
                refSet = true;
                refRaw = raw;
                refExt = (raw & 0xFFFFFFFFL) + (1L << 32);
            }
            return refExt + (raw - refRaw);
        }

        void rebase(long ext, int raw) {
            refExt = ext;
            refRaw = raw;
            refSet = true;
        }

        void initSeqs(int raw, long startExt) {
            // A new base: Zeek re-initialises start/ack/last (InitStartSeq...).
            refSet = false;
            long e = ext(raw);
            startSeq = startExt == Long.MIN_VALUE ? e : startExt;
            ackSeq = startSeq;
        }

        void setState(State s) {
            if (s != state) {
                prevState = state;
                state = s;
            }
        }

        long size() {
            if (prevState == State.SYN_SENT && state == State.RESET && peer.state == State.INACTIVE && !noDataAcked()) {
                return 0;
            }
            long size = Math.max(lastSeq, ackSeq) - startSeq;
            if (size < 0) {
                size = 0; // Zeek's unsigned arithmetic cannot go below its start either way we print
            }
            if (size != 0) {
                size--;
            }
            if (finCnt > 0 && size != 0) {
                size--;
            }
            return size;
        }

        boolean noDataAcked() {
            return ackSeq == startSeq || ackSeq == startSeq + 1;
        }
    }

    /** Most rows one connection gives; past it the last Zeek connection takes every later packet. */
    public static final int MAX_ROWS = 16;

    private Session current = new Session();
    private final java.util.List<Row> done = new java.util.ArrayList<>(1);

    /** A factory for the pipeline. */
    public static ConnectionObserver.Factory factory() {
        return c -> new ZeekConn();
    }

    @Override
    public void segment(Endpoint.Role sender, TcpSegment s, long relSeq, long relAck, SegmentKind kind,
                        boolean delivered, long frame, long nanos) {
        if (current.started && done.size() < MAX_ROWS - 1 && current.removedBy(nanos)) {
            done.add(current.row());
            current = new Session();
        }
        current.segment(sender, s, nanos);
    }

    @Override
    public Result result(Connection c) {
        java.util.List<Row> rows = new java.util.ArrayList<>(done);
        if (current.started) {
            rows.add(current.row());
        }
        return new Result(rows);
    }

    /** One Zeek connection: Zeek's TCPSessionAdapter, its two endpoints and the connection's history. */
    private static final class Session {
        private final Ep client = new Ep(Endpoint.Role.CLIENT, true);
        private final Ep server = new Ep(Endpoint.Role.SERVER, false);
        private final char[] history = new char[MAX_HISTORY];
        private int historyLength;
        private int histSeen;
        private boolean isPartial;
        private int firstPacketSeen; // 1 orig, 2 resp
        private boolean flipped;
        private boolean started;
        private long startNanos;
        private long lastNanos;
        private long missedBytes;
        /** Capture time of the segment being processed. */
        private long now;
        /** AttemptTimer: tcp_attempt_delay after the originator's first SYN. */
        private long attemptDeadline = Long.MIN_VALUE;
        /** DeleteTimer: tcp_close_delay after the last activity once the close is complete. */
        private long deleteDeadline = Long.MIN_VALUE;
    
        Session() {
            client.peer = server;
            server.peer = client;
        }
    
        private Ep ep(Endpoint.Role r) {
            return r == Endpoint.Role.CLIENT ? client : server;
        }
    
        private Ep orig() {
            return client.isOrig ? client : server;
        }
    
        // ---------------------------------------------------------------- history
    
        private void addHistory(char code) {
            if (historyLength < MAX_HISTORY) {
                history[historyLength++] = code;
            }
        }
    
        /** {@code Session::CheckHistory} as called by {@code TCP_Endpoint::CheckHistory}. */
        private boolean checkHistory(Ep e, int mask, char code) {
            if ((code == 'A' || code == 'D') && historyLength == 1 && history[0] == 'H') {
                // Began with a SYN-ACK, now productive traffic: flip, history "^h".
                flipRoles();
                historyLength = 0;
                addHistory('^');
                addHistory('h');
                firstPacketSeen |= 1;
            }
            if (!e.isOrig) {
                mask <<= 16;
                code = Character.toLowerCase(code);
            }
            if ((histSeen & mask) == 0) {
                histSeen |= mask;
                addHistory(code);
                return false;
            }
            return true;
        }
    
        private void addHistory(Ep e, char code) {
            addHistory(e.isOrig ? code : Character.toLowerCase(code));
        }
    
        private void flipRoles() {
            client.isOrig = !client.isOrig;
            server.isOrig = !server.isOrig;
            firstPacketSeen = ((firstPacketSeen & 1) != 0 ? 2 : 0) | ((firstPacketSeen & 2) != 0 ? 1 : 0);
            isPartial = false;
            flipped = !flipped;
            addHistory('^');
        }
    
        /** {@code Session::ScaledHistoryEntry} with base 10: the letter at 1, 10, 100... */
        private void scaled(Ep e, char code, int which) {
            int cnt;
            int thresh;
            switch (which) {
                case 0 -> { cnt = ++e.rxmtCnt; thresh = e.rxmtThresh; }
                case 1 -> { cnt = ++e.win0Cnt; thresh = e.win0Thresh; }
                default -> { cnt = ++e.gapCnt; thresh = e.gapThresh; }
            }
            if (cnt == thresh) {
                addHistory(e.isOrig ? code : Character.toLowerCase(code));
                int next = thresh * 10;
                if (next <= thresh) {
                    cnt = 0;
                    next = thresh;
                }
                switch (which) {
                    case 0 -> { e.rxmtCnt = cnt; e.rxmtThresh = next; }
                    case 1 -> { e.win0Cnt = cnt; e.win0Thresh = next; }
                    default -> { e.gapCnt = cnt; e.gapThresh = next; }
                }
            }
        }
    
        // ---------------------------------------------------------------- per segment
    
        void segment(Endpoint.Role sender, TcpSegment s, long nanos) {
            if (!started) {
                started = true;
                startNanos = nanos;
                lastNanos = nanos;
                // TCPAnalyzer::WantConnection: the first packet's sender is the originator, unless
                // it is not a bare SYN and its source port looks like a server's.
                Ep first = ep(sender);
                first.isOrig = true;
                first.peer.isOrig = false;
                boolean syn = s.has(TcpSegment.SYN);
                boolean ack = s.has(TcpSegment.ACK);
                if (!syn || ack) {
                    if (likelyServerPort(s.srcPort)) {
                        boolean flip = !likelyServerPort(s.dstPort) || (!syn && s.srcPort < s.dstPort);
                        if (flip) {
                            flipRoles();
                        }
                    }
                }
            }
            Ep endpoint = ep(sender);
            Ep peer = endpoint.peer;
            endpoint.packets++;
            endpoint.ipBytes += s.ipHeaderLength + s.tcpHeaderLength + s.payloadLength;
            process(endpoint, peer, s, nanos);
        }
    
        static boolean likelyServerPort(int port) {
            return java.util.Arrays.binarySearch(LIKELY_SERVER_PORTS, port) >= 0;
        }
    
        private void process(Ep endpoint, Ep peer, TcpSegment s, long nanos) {
            now = nanos;
            boolean syn = s.has(TcpSegment.SYN);
            boolean fin = s.has(TcpSegment.FIN);
            boolean rst = s.has(TcpSegment.RST);
            boolean ackFlag = s.has(TcpSegment.ACK);
            int len = s.payloadLength;
            boolean isOrig = endpoint.isOrig;
    
            // SetPartialStatus
            if (isOrig) {
                if ((firstPacketSeen & 1) == 0) {
                    isPartial = !syn || ackFlag;
                }
            } else if ((firstPacketSeen & 2) == 0 && !isPartial) {
                isPartial = !syn;
            }
    
            int segLen = len + (syn ? 1 : 0) + (fin ? 1 : 0);
            if (rst) {
                segLen -= len;
            }
            initEndpoint(endpoint, syn, s.seq, segLen);
            long baseExt = endpoint.ext(s.seq);
            long relSeq = baseExt - endpoint.startSeq;
            boolean seqUnderflow = relSeq < 0;
    
            updateHistory(endpoint, syn, fin, rst, ackFlag, relSeq, len);
            // update_window: a zero window counts unless with or after a RST, or after the peer's FIN.
            if (s.window == 0 && !rst && peer.state != State.CLOSED && endpoint.state != State.RESET) {
                scaled(endpoint, 'W', 1);
            }
            if (!client.didClose || !server.didClose) {
                lastNanos = nanos;
            }
            if (fin) {
                endpoint.finCnt++;
                endpoint.finSeq = relSeq + segLen;
            }
            if (rst) {
                endpoint.rstCnt++;
            }
            long relAck = 0;
            if (ackFlag) {
                if (peer.state == State.INACTIVE) {
                    relAck = 1;
                    // init_peer: number the peer as if its SYN had been seen.
                    peer.refSet = false;
                    long e = peer.ext(s.ack - 1);
                    peer.startSeq = e;
                    peer.ackSeq = e;
                    peer.lastSeq = e;
                } else {
                    long ackExt = peer.ext(s.ack);
                    relAck = ackExt - peer.startSeq;
                    if (relAck < 0) {
                        relAck = 0;
                    } else if (!rst) {
                        long delta = ackExt - peer.ackSeq;
                        if (!(s.ack == 0 && delta > TOO_LARGE_SEQ_DELTA) && delta > 0) {
                            peer.ackSeq = ackExt;
                        }
                    }
                }
            }
            long deltaLast = updateLastSeq(endpoint, baseExt + segLen, s.seq + segLen, syn, fin, rst, len);
    
            boolean[] close = updateStateMachine(endpoint, peer, s, len, deltaLast, isOrig, syn, fin, rst, ackFlag);
    
            if (ackFlag) {
                ackReceived(peer, relAck);
            }
            long relDataSeq = syn ? relSeq + 1 : relSeq;
            if (len > 0 && s.capturedPayloadLength >= len && !rst && !seqUnderflow) {
                dataSent(endpoint, relDataSeq, len);
            }
            if (close[0]) {
                connectionClosed(endpoint, peer);
            }
            // CheckPIA_FirstPacket
            firstPacketSeen |= endpoint.isOrig ? 1 : 2;
        }
    
        private static void initEndpoint(Ep e, boolean syn, int seq, int segLen) {
            switch (e.state) {
                case INACTIVE -> {
                    if (syn) {
                        e.initSeqs(seq, Long.MIN_VALUE);
                        e.lastSeq = e.startSeq + segLen;
                    } else {
                        e.refSet = false;
                        long first = e.ext(seq);
                        e.startSeq = first - 1;
                        e.ackSeq = first - 1;
                        e.lastSeq = first; // the first packet is not marked a duplicate
                    }
                }
                case SYN_SENT, SYN_ACK_SENT -> {
                    if (syn && e.ext(seq) != e.startSeq) {
                        e.initSeqs(seq, Long.MIN_VALUE);
                        e.lastSeq = e.startSeq + segLen;
                    }
                }
                case ESTABLISHED, PARTIAL -> {
                    if (syn) {
                        e.initSeqs(seq, Long.MIN_VALUE);
                        e.lastSeq = e.startSeq + segLen;
                    }
                }
                case RESET -> {
                    if (syn && e.prevState == State.INACTIVE) {
                        e.initSeqs(seq, Long.MIN_VALUE);
                        e.lastSeq = e.startSeq + segLen;
                    }
                }
                case CLOSED -> {
                }
            }
        }
    
        private void updateHistory(Ep e, boolean syn, boolean fin, boolean rst, boolean ack, long relSeq, int len) {
            int bits = (syn ? 1 : 0) + (fin ? 1 : 0) + (rst ? 1 : 0);
            if (bits > 1) {
                if (fin && rst) {
                    checkHistory(e, HIST_FIN_RST_PKT, 'I');
                } else {
                    checkHistory(e, HIST_MULTI_FLAG_PKT, 'Q');
                }
            } else if (bits == 1) {
                if (syn) {
                    char code = ack ? 'H' : 'S';
                    if (checkHistory(e, HIST_SYN_PKT, code) && relSeq != e.histLastSyn) {
                        addHistory(e, code);
                    }
                    e.histLastSyn = relSeq;
                }
                if (fin) {
                    if (checkHistory(e, HIST_FIN_PKT, 'F') && relSeq + len != e.histLastFin) {
                        addHistory(e, 'F');
                    }
                    e.histLastFin = relSeq + len;
                }
                if (rst) {
                    if (checkHistory(e, HIST_RST_PKT, 'R') && relSeq != e.histLastRst) {
                        addHistory(e, 'R');
                    }
                    e.histLastRst = relSeq;
                }
            } else if (len > 0) {
                checkHistory(e, HIST_DATA_PKT, 'D');
            } else if (ack) {
                checkHistory(e, HIST_ACK_PKT, 'A');
            }
        }
    
        /** {@code update_last_seq}: advances the sender's highest sequence number; a resend of data is a 'T'. */
        private long updateLastSeq(Ep e, long lastExt, int lastRaw, boolean syn, boolean fin, boolean rst, int len) {
            long delta = lastExt - e.lastSeq;
            if ((syn || rst) && (delta > TOO_LARGE_SEQ_DELTA || delta < -TOO_LARGE_SEQ_DELTA)) {
                return delta;
            }
            if (fin && e.lastSeq == e.startSeq + 1) {
                e.lastSeq = lastExt;
                e.rebase(lastExt, lastRaw);
            } else if (e.state == State.RESET) {
                return delta;
            } else if (delta > 0) {
                e.lastSeq = lastExt;
                e.rebase(lastExt, lastRaw);
            } else if (len > 0) {
                scaled(e, 'T', 0);
            }
            return delta;
        }
    
        /** {@code UpdateStateMachine}; returns {do_close}. */
        private boolean[] updateStateMachine(Ep endpoint, Ep peer, TcpSegment s, int len, long deltaLast, boolean isOrig,
                                             boolean syn, boolean fin, boolean rst, boolean ack) {
            boolean[] close = closeFlag;
            close[0] = false;
            switch (endpoint.state) {
                case INACTIVE -> inactive(endpoint, peer, s, len, isOrig, syn, fin, rst, ack, close);
                case SYN_SENT, SYN_ACK_SENT -> {
                    if (fin) {
                        endpoint.setState(State.CLOSED);
                        close[0] = true;
                    }
                    if (rst) {
                        endpoint.setState(State.RESET);
                        close[0] = true;
                    }
                }
                case ESTABLISHED, PARTIAL -> {
                    if (syn && endpoint.state == State.PARTIAL && peer.state == State.INACTIVE && !ack) {
                        endpoint.setState(State.SYN_SENT);
                    }
                    if (fin && !rst) {
                        endpoint.setState(State.CLOSED);
                        if (peer.state == State.RESET && peer.prevState == State.CLOSED) {
                            peer.setState(State.CLOSED); // a FIN then a RST from the peer: normal termination
                        }
                        close[0] = true;
                    }
                    if (rst) {
                        endpoint.setState(State.RESET);
                        close[0] = true;
                    }
                }
                case CLOSED -> {
                    if (rst && endpoint.peer.state != State.CLOSED) {
                        endpoint.setState(State.RESET);
                        if (!endpoint.didClose) {
                            close[0] = true;
                        }
                    }
                }
                case RESET -> {
                }
            }
            return close;
        }
    
        private final boolean[] closeFlag = new boolean[1];
    
        private void inactive(Ep endpoint, Ep peer, TcpSegment s, int len, boolean isOrig, boolean syn, boolean fin,
                              boolean rst, boolean ack, boolean[] close) {
            if (syn) {
                if (isOrig) {
                    endpoint.setState(ack ? State.SYN_ACK_SENT : State.SYN_SENT);
                    attemptDeadline = now + ATTEMPT_DELAY_NANOS;
                } else {
                    if (!ack && peer.state == State.SYN_ACK_SENT && endpoint.ext(s.seq) == endpoint.startSeq) {
                        // SYN/SYN-ACK reversal: flip and establish.
                        isPartial = false;
                        flipRoles();
                        peer.setState(State.ESTABLISHED);
                        firstPacketSeen |= 1;
                    }
                    if (peer.state == State.SYN_SENT) {
                        peer.setState(State.ESTABLISHED);
                    }
                    endpoint.setState(State.ESTABLISHED);
                }
            }
            if (fin) {
                endpoint.setState(State.CLOSED);
                close[0] = true;
            }
            if (rst) {
                endpoint.setState(State.RESET);
                close[0] = true;
            }
            if (endpoint.state == State.INACTIVE) {
                if (!isOrig && len == 0 && orig().state == State.SYN_SENT) {
                    // an ACK of the SYN before the SYN-ACK: not a partial connection
                    return;
                } else if (ack && peer.state == State.ESTABLISHED) {
                    endpoint.setState(State.ESTABLISHED);
                    isPartial = false;
                    firstPacketSeen |= isOrig ? 1 : 2;
                } else {
                    endpoint.setState(State.PARTIAL);
                }
            }
        }
    
        /**
         * {@code ConnectionClosed} (without its wait for undelivered data): once the close is
         * complete (a RST, both sides closed, or a peer never heard from) the connection is
         * deleted tcp_close_delay after its last activity.
         */
        private void connectionClosed(Ep endpoint, Ep peer) {
            if (endpoint.didClose) {
                return;
            }
            endpoint.didClose = true;
            boolean complete = endpoint.state == State.RESET || peer.didClose || peer.state == State.INACTIVE;
            if (complete && deleteDeadline == Long.MIN_VALUE) {
                deleteDeadline = lastNanos + CLOSE_DELAY_NANOS;
            }
        }

        // ---------------------------------------------------------------- gaps (TCP_Reassembler)
    
        private static boolean clean(Ep a) {
            return a.state == State.ESTABLISHED || (a.state == State.CLOSED && a.prevState == State.ESTABLISHED);
        }
    
        private void gap(Ep e, long len) {
            if (clean(e) && clean(e.peer)) {
                scaled(e, 'G', 2);
                missedBytes += len;
            }
        }
    
        /** {@code TCP_Reassembler::DataSent}: data from {@code e}, at relative {@code seq}. */
        private void dataSent(Ep e, long seq, int len) {
            long ack = e.ackSeq - e.startSeq;
            long upper = seq + len;
            if (seq < ack) {
                if (upper <= ack) {
                    return;
                }
                seq = ack;
            }
            newBlock(e, seq, upper);
        }
    
        private void newBlock(Ep e, long seq, long upper) {
            if (upper <= e.trimSeq) {
                return;
            }
            if (seq < e.trimSeq) {
                seq = e.trimSeq;
            }
            insert(e, seq, upper);
            deliverContiguous(e);
            // The peer processes ACKs (reassembly on both sides): delivered data is trimmed on ACKs only.
        }
    
        /** Adds [seq, upper) to the sorted, disjoint ranges. */
        private static void insert(Ep e, long seq, long upper) {
            int i = 0;
            while (i < e.blocks && e.blockUpper[i] < seq) {
                i++;
            }
            int j = i;
            long lo = seq;
            long hi = upper;
            while (j < e.blocks && e.blockSeq[j] <= hi) {
                lo = Math.min(lo, e.blockSeq[j]);
                hi = Math.max(hi, e.blockUpper[j]);
                j++;
            }
            int removed = j - i;
            if (removed == 0) {
                if (e.blocks == MAX_BLOCKS) {
                    // Full: the lowest range is taken as delivered.
                    e.lastReassem = Math.max(e.lastReassem, e.blockUpper[0]);
                    System.arraycopy(e.blockSeq, 1, e.blockSeq, 0, e.blocks - 1);
                    System.arraycopy(e.blockUpper, 1, e.blockUpper, 0, e.blocks - 1);
                    e.blocks--;
                    if (i > 0) {
                        i--;
                    }
                }
                System.arraycopy(e.blockSeq, i, e.blockSeq, i + 1, e.blocks - i);
                System.arraycopy(e.blockUpper, i, e.blockUpper, i + 1, e.blocks - i);
                e.blocks++;
            } else if (removed > 1) {
                System.arraycopy(e.blockSeq, j, e.blockSeq, i + 1, e.blocks - j);
                System.arraycopy(e.blockUpper, j, e.blockUpper, i + 1, e.blocks - j);
                e.blocks -= removed - 1;
            }
            e.blockSeq[i] = lo;
            e.blockUpper[i] = hi;
        }
    
        /** {@code BlockInserted}: data at the delivery point moves it on. */
        private static void deliverContiguous(Ep e) {
            for (int i = 0; i < e.blocks; i++) {
                if (e.blockSeq[i] > e.lastReassem) {
                    break;
                }
                if (e.blockUpper[i] > e.lastReassem) {
                    e.lastReassem = e.blockUpper[i];
                }
            }
        }
    
        /** {@code TCP_Reassembler::AckReceived}: the peer acknowledged {@code e}'s data up to relative {@code seq}. */
        private void ackReceived(Ep e, long seq) {
            if (e.finCnt > 0 && seq >= e.finSeq) {
                seq = e.finSeq - 1;
            }
            if (seq <= e.trimSeq) {
                return;
            }
            if (seq > e.lastReassem) {
                undelivered(e, seq);
            }
            // drop ranges wholly acknowledged
            int k = 0;
            while (k < e.blocks && e.blockUpper[k] <= seq) {
                k++;
            }
            if (k > 0) {
                System.arraycopy(e.blockSeq, k, e.blockSeq, 0, e.blocks - k);
                System.arraycopy(e.blockUpper, k, e.blockUpper, 0, e.blocks - k);
                e.blocks -= k;
            }
            e.trimSeq = seq;
        }
    
        private void undelivered(Ep e, long upTo) {
            if (upTo <= 2 && isPartial) {
                return; // the faked SYN octet of a partial connection, or a keepalive's byte
            }
            for (int i = 0; i < e.blocks; i++) {
                if (e.blockUpper[i] <= e.lastReassem) {
                    continue;
                }
                if (e.blockSeq[i] >= upTo) {
                    break;
                }
                if (e.blockSeq[i] > e.lastReassem) {
                    gap(e, e.blockSeq[i] - e.lastReassem);
                    e.lastReassem = e.blockSeq[i];
                }
                deliverContiguous(e);
            }
            if (upTo > e.lastReassem) {
                gap(e, upTo - e.lastReassem);
                e.lastReassem = upTo;
            }
        }

        /** Whether Zeek would have removed this connection by capture time {@code nanos} (its timers). */
        boolean removedBy(long nanos) {
            if (attemptDeadline != Long.MIN_VALUE && nanos >= attemptDeadline) {
                Ep o = orig();
                if ((o.state == State.SYN_SENT || o.state == State.SYN_ACK_SENT) && o.peer.state == State.INACTIVE) {
                    return true; // AttemptTimer: a connection attempt
                }
            }
            return deleteDeadline != Long.MIN_VALUE && nanos >= deleteDeadline;
        }

        Row row() {
            Ep o = orig();
            Ep r = o.peer;
            return new Row(o.role, flipped, o.state, r.state, o.size(), r.size(), new String(history, 0, historyLength),
                    startNanos, lastNanos, o.packets, o.ipBytes, r.packets, r.ipBytes, missedBytes);
        }
    }

}
