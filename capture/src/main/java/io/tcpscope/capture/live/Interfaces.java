package io.tcpscope.capture.live;

import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.CaptureException.Kind;
import io.tcpscope.capture.LinkType;
import io.tcpscope.capture.ffi.DataLinkTypes;
import io.tcpscope.capture.ffi.LibPcapLoader;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.pcap4j.core.PcapAddress;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.Pcaps;

/**
 * The devices libpcap can capture on, through pcap4j's {@code Pcaps.findAllDevs()}
 * ({@code pcap_findalldevs(3PCAP)}).
 *
 * <p>The link type is not asked from libpcap, because that needs the device opened and
 * activated, which needs capture privileges. It is read from {@code /sys/class/net/<dev>/type}
 * (the ARPHRD_* type) and mapped the way Linux libpcap maps it ({@link
 * DataLinkTypes#linkTypeOfArphrd}); the pseudo-device {@code any} is LINUX_SLL; other devices
 * without a {@code /sys/class/net} entry (nflog, nfqueue, dbus-*, usbmon*) are unknown.
 */
public final class Interfaces {
    /** pcap4j's system property naming the library it loads with JNA. */
    static final String PCAP4J_LIBRARY_PROPERTY = "org.pcap4j.core.pcapLibName";

    private static final Path SYS_CLASS_NET = Paths.get("/sys/class/net");

    private Interfaces() {
    }

    /**
     * Every device libpcap reports, in its order (interfaces that are up and running first).
     *
     * @throws CaptureException NO_LIBPCAP when libpcap cannot be loaded, PCAP when
     *                          pcap_findalldevs fails
     */
    public static List<InterfaceInfo> list() throws CaptureException {
        pointPcap4jAtLibpcap();
        List<PcapNetworkInterface> devices;
        try {
            devices = Pcaps.findAllDevs();
        } catch (PcapNativeException e) {
            throw new CaptureException(Kind.PCAP, "cannot list interfaces: " + e.getMessage(), e);
        } catch (LinkageError e) {
            // pcap4j's JNA binding failed to load libpcap even though jnr-ffi could.
            throw new CaptureException(Kind.NO_LIBPCAP,
                    "libpcap not found: install it with 'apt-get install libpcap0.8'", e);
        }
        List<InterfaceInfo> result = new ArrayList<>(devices.size());
        for (PcapNetworkInterface device : devices) {
            List<InterfaceInfo.Address> addresses = new ArrayList<>();
            for (PcapAddress address : device.getAddresses()) {
                InetAddress inet = address.getAddress();
                if (inet != null) {
                    addresses.add(new InterfaceInfo.Address(inet, address.getNetmask()));
                }
            }
            String description = device.getDescription();
            result.add(new InterfaceInfo(device.getName(), description == null ? "" : description,
                    addresses, device.isUp(), device.isRunning(), device.isLoopBack(),
                    linkTypeOf(device.getName())));
        }
        return result;
    }

    /**
     * Device names for messages such as "no such interface": libpcap's list, or when that
     * fails the entries of /sys/class/net. Never throws.
     */
    public static List<String> names() {
        try {
            List<String> names = new ArrayList<>();
            for (InterfaceInfo info : list()) {
                names.add(info.name());
            }
            return names;
        } catch (CaptureException | RuntimeException e) {
            try (Stream<Path> entries = Files.list(SYS_CLASS_NET)) {
                return entries.map(p -> p.getFileName().toString()).sorted().toList();
            } catch (IOException | RuntimeException ignored) {
                return List.of();
            }
        }
    }

    /** The LINKTYPE_* a capture on {@code device} gets on Linux, or {@link InterfaceInfo#UNKNOWN_LINK_TYPE}. */
    static int linkTypeOf(String device) {
        if (device.equals("any")) {
            return LinkType.LINUX_SLL;
        }
        if (device.isEmpty() || device.contains("/") || device.startsWith(".")) {
            return InterfaceInfo.UNKNOWN_LINK_TYPE;
        }
        Path typeFile = SYS_CLASS_NET.resolve(device).resolve("type");
        try {
            int arphrd = Integer.parseInt(Files.readString(typeFile, StandardCharsets.US_ASCII).strip());
            return DataLinkTypes.linkTypeOfArphrd(arphrd);
        } catch (IOException | NumberFormatException e) {
            return InterfaceInfo.UNKNOWN_LINK_TYPE;
        }
    }

    /**
     * pcap4j loads "pcap" (libpcap.so, which on Debian only libpcap-dev provides). When our
     * loader needed the runtime soname, tell pcap4j to use it too, unless the user set it.
     */
    private static void pointPcap4jAtLibpcap() throws CaptureException {
        String loadedName = LibPcapLoader.libraryName();
        if (!loadedName.equals("pcap") && System.getProperty(PCAP4J_LIBRARY_PROPERTY) == null) {
            System.setProperty(PCAP4J_LIBRARY_PROPERTY, loadedName);
        }
    }
}
