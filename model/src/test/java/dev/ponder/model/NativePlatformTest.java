package dev.ponder.model;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The pom's platform profiles put the CPU libtorch of the machine running the build on the class path
 * (DJL_OFFLINE forbids downloading it): the pytorch-native-cpu jar found must carry this OS and architecture.
 */
class NativePlatformTest {

    /** DJL's classifier for this JVM: linux-x86_64, linux-aarch64, osx-aarch64, win-x86_64. */
    static String classifier() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String o = os.startsWith("mac") ? "osx" : os.startsWith("windows") ? "win" : "linux";
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch;
        return o + "-" + a;
    }

    @Test
    void theCpuLibtorchOnTheClassPathIsThisPlatforms() {
        URL props = getClass().getClassLoader().getResource("native/lib/pytorch.properties");
        assertNotNull(props, "no pytorch-native-cpu jar on the class path");
        String jar = props.toString();
        assertTrue(jar.contains("pytorch-native-cpu") && jar.contains("-" + classifier() + ".jar!"),
                "this is " + classifier() + ", the class path holds " + jar);
    }
}
