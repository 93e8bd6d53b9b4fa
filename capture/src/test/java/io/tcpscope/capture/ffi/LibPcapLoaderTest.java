package io.tcpscope.capture.ffi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.capture.CaptureException;
import java.util.List;
import org.junit.jupiter.api.Test;

class LibPcapLoaderTest {

    @Test
    void loadsDebianRuntimeSonameByExplicitName() throws CaptureException {
        LibPcap pcap = LibPcapLoader.loadNamed("libpcap.so.0.8");
        String version = pcap.pcap_lib_version();
        assertTrue(version.startsWith("libpcap version 1."), version);
        System.out.println("pcap_lib_version() = " + version);
    }

    @Test
    void fallsBackToTheNextName() throws CaptureException {
        LibPcapLoader.Loaded loaded = LibPcapLoader.loadFirst(List.of("pcap-not-installed-here", "libpcap.so.0.8"));
        assertEquals("libpcap.so.0.8", loaded.libraryName());
        assertTrue(loaded.pcap().pcap_lib_version().startsWith("libpcap version"));
    }

    @Test
    void noLibraryIsNoLibpcap() {
        CaptureException e = assertThrows(CaptureException.class,
                () -> LibPcapLoader.loadFirst(List.of("pcap-not-installed-here", "libpcap.so.0.0.404")));
        assertEquals(CaptureException.Kind.NO_LIBPCAP, e.kind());
        assertEquals("libpcap not found: install it with 'apt-get install libpcap0.8'", e.getMessage());
        assertEquals(6, e.kind().exitCode());
    }
}
