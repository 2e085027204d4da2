package io.quanta.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version Maven stamped into {@code io/quanta/cli/version.properties} at build time. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"quanta " + version(), "Java " + System.getProperty("java.version")};
    }

    public static String version() {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to the placeholder: a missing version must not break the command line
        }
        String v = p.getProperty("version", "");
        return v.isEmpty() || v.startsWith("${") ? "(development build)" : v;
    }
}
