package io.tcpscope.capture.ffi;

import io.tcpscope.capture.CaptureException;
import java.util.List;
import jnr.ffi.LibraryLoader;

/**
 * Loads libpcap (and libc) once per process.
 *
 * <p>Library names are tried in order: {@code pcap} (jnr-ffi maps it to {@code libpcap.so},
 * which on Debian only the development package libpcap-dev provides), then
 * {@code libpcap.so.0.8}, the soname that Debian's runtime package libpcap0.8 installs
 * (it contains libpcap 1.x despite the name).
 */
public final class LibPcapLoader {
    /** Names tried by {@link #load()}, in order. */
    public static final List<String> LIBRARY_NAMES = List.of("pcap", "libpcap.so.0.8");

    static final String NOT_FOUND_MESSAGE =
            "libpcap not found: install it with 'apt-get install libpcap0.8'";

    private static volatile Loaded loaded;

    private LibPcapLoader() {
    }

    /** A loaded libpcap, the name it was loaded by, and libc. */
    record Loaded(LibPcap pcap, String libraryName, LibC libc, jnr.ffi.Runtime runtime) {
    }

    /** The process-wide libpcap binding; loads it on first use. */
    public static LibPcap load() throws CaptureException {
        return loaded().pcap();
    }

    /** The name libpcap was loaded by: {@code "pcap"} or {@code "libpcap.so.0.8"}. */
    public static String libraryName() throws CaptureException {
        return loaded().libraryName();
    }

    static Loaded loaded() throws CaptureException {
        Loaded result = loaded;
        if (result == null) {
            synchronized (LibPcapLoader.class) {
                result = loaded;
                if (result == null) {
                    result = loadFirst(LIBRARY_NAMES);
                    loaded = result;
                }
            }
        }
        return result;
    }

    /**
     * Loads libpcap by exactly this name (e.g. {@code "libpcap.so.0.8"}), without caching it.
     *
     * @throws CaptureException {@code NO_LIBPCAP} when no library of that name can be loaded
     */
    public static LibPcap loadNamed(String libraryName) throws CaptureException {
        return loadFirst(List.of(libraryName)).pcap();
    }

    static Loaded loadFirst(List<String> libraryNames) throws CaptureException {
        for (String name : libraryNames) {
            try {
                LibPcap pcap = LibraryLoader.create(LibPcap.class).failImmediately().load(name);
                LibC libc = LibraryLoader.create(LibC.class).failImmediately().load("c");
                return new Loaded(pcap, name, libc, jnr.ffi.Runtime.getRuntime(pcap));
            } catch (LinkageError notThere) {
                // UnsatisfiedLinkError: no library by that name, or a symbol is missing. Next name.
            }
        }
        throw new CaptureException(CaptureException.Kind.NO_LIBPCAP, NOT_FOUND_MESSAGE);
    }
}
