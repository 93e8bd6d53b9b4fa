package io.tcpscope.analyzer.host;

import io.tcpscope.analyzer.tcp.TcpState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code ss} output into a {@link HostSnapshot}.
 *
 * <p>Accepted: the output of {@code ss -t -a -n} with any of {@code -p -o -i -e -m}
 * ({@code ss -tanpoie}, {@code ss -tanoi}, {@code ss -tan}), with its header line or without
 * ({@code -H}), IPv4 and IPv6 ({@code [::ffff:10.0.0.1]:80}, {@code [fe80::1]%eth0:22},
 * {@code *:8080}); also {@code ss -an}'s Netid column (lines of other protocols are
 * skipped and counted) and output without a State column ({@code ss -tan state
 * close-wait}: the state is then unknown). Columns are told apart per line: an optional
 * Netid, an optional State, then Recv-Q, Send-Q, local and peer address; everything after
 * them ({@code users:}, {@code timer:}, {@code uid:}, {@code ino:}, {@code sk:}, ...) in any
 * order. Lines starting with whitespace continue the socket above ({@code ss -i}, {@code -m}).
 *
 * <p>Header lines tcpscope defines (anywhere in the file, each at most once; other lines
 * starting with {@code #} are comments):
 * <pre>
 *   # taken at 2026-12-01T09:00:00.123Z      (RFC 3339, or epoch seconds: # taken at 1764579600.123)
 *   # host web-1
 * </pre>
 * Without {@code # taken at}, {@link #read} takes the file's modification time
 * ({@link HostSnapshot.TakenAt#FILE_MTIME}); {@link #parse} leaves it unknown.
 *
 * <p>Anything else is an error naming the file and line ({@code host-a.ss:12: ...}): a
 * snapshot is evidence, so a line that cannot be read is not skipped.
 */
public final class HostSnapshotParser {

    /** The header line giving when ss ran. */
    public static final String TAKEN_AT = "# taken at ";
    /** The header line naming the host. */
    public static final String HOST = "# host ";

    private static final Map<String, TcpState> STATES = new LinkedHashMap<>();
    static {
        STATES.put("ESTAB", TcpState.ESTABLISHED);
        STATES.put("SYN-SENT", TcpState.SYN_SENT);
        STATES.put("SYN-RECV", TcpState.SYN_RECEIVED);
        STATES.put("FIN-WAIT-1", TcpState.FIN_WAIT_1);
        STATES.put("FIN-WAIT-2", TcpState.FIN_WAIT_2);
        STATES.put("TIME-WAIT", TcpState.TIME_WAIT);
        STATES.put("UNCONN", TcpState.CLOSED);
        STATES.put("CLOSE", TcpState.CLOSED);
        STATES.put("CLOSE-WAIT", TcpState.CLOSE_WAIT);
        STATES.put("LAST-ACK", TcpState.LAST_ACK);
        STATES.put("LISTEN", TcpState.LISTEN);
        STATES.put("CLOSING", TcpState.CLOSING);
        STATES.put("UNKNOWN", null);
    }

    /** ss's Netid column values (ss.c's protocol names). */
    private static final List<String> NETIDS = List.of("tcp", "udp", "raw", "u_str", "u_dgr", "u_seq", "nl",
        "p_raw", "p_dgr", "v_str", "v_dgr", "v_seq", "x_str", "x_dgr", "x_seq", "sctp", "dccp", "tipc", "mptcp",
        "xdp", "icmp6", "???");

    private static final Pattern USER = Pattern.compile("\\(\"((?:[^\"\\\\]|\\\\.)*)\",(?:pid=)?(\\d+)(?:,(?:fd=)?(\\d+))?\\)");
    private static final Pattern TIMER = Pattern.compile("timer:\\(([a-z]+),([^,]*),(\\d+)\\)");
    private static final Pattern SS_DURATION = Pattern.compile("(?:(\\d+)min)?(?:(\\d+)(sec|\\.))?(?:(\\d+)ms)?");
    private static final Pattern EPOCH = Pattern.compile("@?(\\d{1,12})(?:\\.(\\d{1,9}))?");

    private HostSnapshotParser() {
    }

    /**
     * Reads a snapshot file; without a {@code # taken at} header its time is the file's
     * modification time.
     */
    public static HostSnapshot read(Path file) throws HostSnapshotException {
        String name = file.toString();
        OptionalLong mtime;
        try {
            if (Files.isDirectory(file)) {
                throw new HostSnapshotException(name + ": is a directory, not an ss snapshot");
            }
            long millis = Files.getLastModifiedTime(file).toMillis();
            mtime = OptionalLong.of(millis * 1_000_000L);
        } catch (NoSuchFileException e) {
            throw new HostSnapshotException(name + ": no such file");
        } catch (IOException e) {
            throw new HostSnapshotException(name + ": cannot read: " + e.getMessage());
        }
        try (Reader r = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8)) {
            return parse(name, r, mtime);
        } catch (IOException e) {
            throw new HostSnapshotException(name + ": cannot read: " + e.getMessage());
        }
    }

    /** Parses ss output from {@code text}; without a {@code # taken at} header its time is unknown. */
    public static HostSnapshot parse(String source, Reader text) throws HostSnapshotException {
        return parse(source, text, OptionalLong.empty());
    }

    private static HostSnapshot parse(String source, Reader text, OptionalLong fileTimeNanos)
            throws HostSnapshotException {
        Parse p = new Parse(source);
        BufferedReader in = text instanceof BufferedReader b ? b : new BufferedReader(text);
        try {
            String line;
            while ((line = in.readLine()) != null) {
                p.line(line);
            }
        } catch (IOException e) {
            throw new HostSnapshotException(source + ": cannot read: " + e.getMessage());
        }
        p.flush();
        OptionalLong at = p.takenAt;
        HostSnapshot.TakenAt how = HostSnapshot.TakenAt.HEADER;
        if (at.isEmpty()) {
            at = fileTimeNanos;
            how = fileTimeNanos.isPresent() ? HostSnapshot.TakenAt.FILE_MTIME : HostSnapshot.TakenAt.UNKNOWN;
        }
        return new HostSnapshot(source, p.host, at, how, p.sockets, p.skipped);
    }

    /** Parses a {@code # taken at} value (RFC 3339 or epoch seconds) into nanoseconds since the epoch, or empty. */
    public static OptionalLong parseTime(String value) {
        Matcher m = EPOCH.matcher(value);
        if (m.matches()) {
            long seconds = Long.parseLong(m.group(1));
            long nanos = 0;
            if (m.group(2) != null) {
                String f = (m.group(2) + "000000000").substring(0, 9);
                nanos = Long.parseLong(f);
            }
            return OptionalLong.of(seconds * 1_000_000_000L + nanos);
        }
        String v = value.toUpperCase(Locale.ROOT);
        if (v.length() > 10 && v.charAt(10) == ' ') {
            v = v.substring(0, 10) + "T" + v.substring(11); // RFC 3339 §5.6 allows a space
        }
        try {
            OffsetDateTime t = OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            return OptionalLong.of(t.toEpochSecond() * 1_000_000_000L + t.getNano());
        } catch (DateTimeParseException e) {
            return OptionalLong.empty();
        }
    }

    /** Milliseconds of an ss timer value ({@code 1min3sec}, {@code 52sec}, {@code 1.234ms}, {@code 204ms}, empty), or -1. */
    static long parseSsDuration(String s) {
        if (s.isEmpty()) {
            return 0;
        }
        Matcher m = SS_DURATION.matcher(s);
        if (!m.matches()) {
            return -1;
        }
        long ms = 0;
        if (m.group(1) != null) {
            ms += Long.parseLong(m.group(1)) * 60_000;
        }
        if (m.group(2) != null) {
            ms += Long.parseLong(m.group(2)) * 1_000;
            if (m.group(3).equals(".") && m.group(4) == null) {
                return -1;
            }
        }
        if (m.group(4) != null) {
            ms += Long.parseLong(m.group(4));
        }
        return ms;
    }

    /** Splits on whitespace outside parentheses and double quotes. */
    static List<String> tokens(String line) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = -1;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
                continue;
            }
            if (Character.isWhitespace(c) && depth == 0) {
                if (start >= 0) {
                    out.add(line.substring(start, i));
                    start = -1;
                }
                continue;
            }
            if (start < 0) {
                start = i;
            }
            if (c == '"') {
                quoted = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            }
        }
        if (start >= 0) {
            out.add(line.substring(start));
        }
        return out;
    }

    private static boolean number(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The state of one parse: the socket being built and what was read so far. */
    private static final class Parse {
        final String source;
        final List<HostSocket> sockets = new ArrayList<>();
        int lineNo;
        int skipped;
        boolean skipping;
        /** The header line said the first column is Netid (ss -an): every line starts with one. */
        boolean netidColumn;
        OptionalLong takenAt = OptionalLong.empty();
        int takenAtLine;
        String host;
        final String[] why = new String[1];

        // the socket being read (its continuation lines may follow)
        int sLine;
        String sState;
        TcpState sTcpState;
        long sRecvQ;
        long sSendQ;
        HostAddress sLocal;
        HostAddress sPeer;
        List<HostProcess> sProcesses;
        HostTimer sTimer;
        OptionalLong sUid;
        OptionalLong sInode;
        String sCookie;
        String sShutdown;
        Map<String, String> sDetails;
        Map<String, String> sInfo;

        Parse(String source) {
            this.source = source;
        }

        HostSnapshotException error(String what) {
            return new HostSnapshotException(source + ":" + lineNo + ": " + what);
        }

        void line(String line) throws HostSnapshotException {
            lineNo++;
            if (line.indexOf('\0') >= 0) {
                throw new HostSnapshotException(source + ":" + lineNo + ": not a text file (ss output expected)");
            }
            if (line.isEmpty()) {
                return;
            }
            if (Character.isWhitespace(line.charAt(0))) {
                continuation(line);
                return;
            }
            if (line.startsWith("#")) {
                header(line);
                return;
            }
            flush();
            skipping = false;
            List<String> t = tokens(line);
            if (t.get(0).equals("State") || t.get(0).equals("Netid") || t.get(0).equals("Recv-Q")) {
                netidColumn = t.get(0).equals("Netid");
                return; // ss's header line
            }
            int i = 0;
            if (netidColumn || NETIDS.contains(t.get(0))) {
                if (!t.get(0).equals("tcp")) {
                    skipped++;
                    skipping = true;
                    return;
                }
                i++;
            }
            String state = null;
            if (i < t.size() && STATES.containsKey(t.get(i))) {
                state = t.get(i++);
            } else if (i >= t.size() || !number(t.get(i))) {
                String found = i < t.size() ? t.get(i) : "end of line";
                throw error("not ss output: expected a TCP state (ESTAB, LISTEN, CLOSE-WAIT, ...) or Recv-Q, found '"
                    + abbreviate(found) + "'");
            }
            if (t.size() < i + 4) {
                throw error("expected Recv-Q, Send-Q, local and peer address after "
                    + (state != null ? "the state " + state : "the start of the line") + ", found " + (t.size() - i)
                    + " column(s)");
            }
            if (!number(t.get(i)) || !number(t.get(i + 1))) {
                throw error("Recv-Q and Send-Q must be numbers, found '" + abbreviate(t.get(i)) + "' '"
                    + abbreviate(t.get(i + 1)) + "'");
            }
            sLine = lineNo;
            sState = state;
            sTcpState = state != null ? STATES.get(state) : null;
            sRecvQ = Long.parseLong(t.get(i));
            sSendQ = Long.parseLong(t.get(i + 1));
            sLocal = address(t.get(i + 2), "local");
            sPeer = address(t.get(i + 3), "peer");
            sProcesses = new ArrayList<>();
            sTimer = null;
            sUid = OptionalLong.empty();
            sInode = OptionalLong.empty();
            sCookie = null;
            sShutdown = null;
            sDetails = new LinkedHashMap<>();
            sInfo = new LinkedHashMap<>();
            for (int k = i + 4; k < t.size(); k++) {
                extra(t.get(k));
            }
        }

        private HostAddress address(String text, String which) throws HostSnapshotException {
            HostAddress a = HostAddress.parse(text, why);
            if (a == null) {
                throw error(which + " address: " + why[0]);
            }
            return a;
        }

        private void header(String line) throws HostSnapshotException {
            if (line.startsWith(TAKEN_AT)) {
                if (takenAt.isPresent()) {
                    throw error("second '# taken at' line (the first is line " + takenAtLine + ")");
                }
                String value = line.substring(TAKEN_AT.length()).trim();
                takenAt = parseTime(value);
                if (takenAt.isEmpty()) {
                    throw error("'# taken at' needs an RFC 3339 time (2026-12-01T09:00:00Z) or epoch seconds"
                        + " (1764579600), found '" + abbreviate(value) + "'");
                }
                takenAtLine = lineNo;
            } else if (line.startsWith(HOST)) {
                if (host != null) {
                    throw error("second '# host' line");
                }
                host = line.substring(HOST.length()).trim();
                if (host.isEmpty()) {
                    throw error("'# host' needs a name");
                }
            }
            // any other '#' line is a comment
        }

        private void extra(String tok) throws HostSnapshotException {
            if (tok.startsWith("users:(")) {
                Matcher m = USER.matcher(tok);
                int found = 0;
                while (m.find()) {
                    sProcesses.add(new HostProcess(m.group(1), Integer.parseInt(m.group(2)),
                        m.group(3) != null ? Integer.parseInt(m.group(3)) : -1));
                    found++;
                }
                if (found == 0) {
                    throw error("cannot read the process column '" + abbreviate(tok) + "'");
                }
            } else if (tok.startsWith("timer:")) {
                Matcher m = TIMER.matcher(tok);
                HostTimer.Kind kind = m.matches() ? HostTimer.Kind.of(m.group(1)) : null;
                long ms = kind != null ? parseSsDuration(m.group(2)) : -1;
                if (ms < 0) {
                    throw error("cannot read the timer '" + abbreviate(tok)
                        + "' (expected timer:(on|keepalive|timewait|persist,TIME,COUNT))");
                }
                sTimer = new HostTimer(kind, ms, Integer.parseInt(m.group(3)));
            } else if (tok.startsWith("uid:") && number(tok.substring(4))) {
                sUid = OptionalLong.of(Long.parseLong(tok.substring(4)));
            } else if (tok.startsWith("ino:") && number(tok.substring(4))) {
                sInode = OptionalLong.of(Long.parseLong(tok.substring(4)));
            } else if (tok.startsWith("sk:")) {
                sCookie = tok.substring(3);
            } else if (tok.equals("<->") || tok.equals("-->") || tok.equals("<--") || tok.equals("---")) {
                sShutdown = tok;
            } else {
                int colon = tok.indexOf(':');
                if (colon > 0) {
                    sDetails.putIfAbsent(tok.substring(0, colon), tok.substring(colon + 1));
                } else {
                    sDetails.putIfAbsent(tok, "");
                }
            }
        }

        private void continuation(String line) throws HostSnapshotException {
            if (skipping) {
                return;
            }
            List<String> t = tokens(line);
            if (t.isEmpty()) {
                return;
            }
            if (sLocal == null) {
                throw error("indented line before any socket line (ss -i continues the socket above)");
            }
            for (int k = 0; k < t.size(); k++) {
                String tok = t.get(k);
                int colon = tok.indexOf(':');
                if (colon > 0) {
                    sInfo.putIfAbsent(tok.substring(0, colon), tok.substring(colon + 1));
                } else if (k + 1 < t.size() && t.get(k + 1).endsWith("bps") && !t.get(k + 1).isEmpty()
                        && Character.isDigit(t.get(k + 1).charAt(0))) {
                    sInfo.putIfAbsent(tok, t.get(++k)); // "send 10618666667bps", "pacing_rate ..."
                } else {
                    sInfo.putIfAbsent(tok, "");
                }
            }
        }

        private OptionalLong infoMillis(String key) throws HostSnapshotException {
            String v = sInfo.get(key);
            if (v == null) {
                return OptionalLong.empty();
            }
            if (!number(v)) {
                throw new HostSnapshotException(source + ":" + sLine + ": " + key + ":" + abbreviate(v)
                    + " is not a number of milliseconds");
            }
            return OptionalLong.of(Long.parseLong(v));
        }

        void flush() throws HostSnapshotException {
            if (sLocal == null) {
                return;
            }
            sockets.add(new HostSocket(sLine, sState, sTcpState, sRecvQ, sSendQ, sLocal, sPeer, sProcesses, sTimer,
                sUid, sInode, sCookie, sShutdown, infoMillis("lastsnd"), infoMillis("lastrcv"), infoMillis("lastack"),
                sDetails, sInfo));
            sLocal = null;
        }

        private static String abbreviate(String s) {
            return s.length() <= 60 ? s : s.substring(0, 57) + "...";
        }
    }
}
