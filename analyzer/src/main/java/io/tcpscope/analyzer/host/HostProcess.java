package io.tcpscope.analyzer.host;

/**
 * One process holding a socket, from {@code ss -p}: {@code users:(("java",pid=4242,fd=12))}.
 *
 * @param name the command name as {@code ss} prints it (the kernel's {@code comm}, at most 15 bytes)
 * @param pid  the process id
 * @param fd   the file descriptor in that process, or -1 when {@code ss} did not print one
 */
public record HostProcess(String name, int pid, int fd) {

    /** As the reports print it: {@code java (pid 4242)}. */
    @Override
    public String toString() {
        return name + " (pid " + pid + ")";
    }
}
