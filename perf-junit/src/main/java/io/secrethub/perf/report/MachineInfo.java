package io.secrethub.perf.report;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The machine and JVM a run measured on: figures from another machine are not comparable, so every report says.
 *
 * @param host the host name, or {@code "unknown"}
 * @param os operating system name and version
 * @param arch CPU architecture
 * @param cpus processors available to the JVM
 * @param java the Java runtime's vendor and version
 * @param maxHeapBytes the JVM's maximum heap
 */
public record MachineInfo(String host, String os, String arch, int cpus, String java, long maxHeapBytes) {

    /** This JVM's machine. */
    public static MachineInfo current() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown";
        }
        return new MachineInfo(host, System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"),
                Runtime.getRuntime().maxMemory());
    }
}
