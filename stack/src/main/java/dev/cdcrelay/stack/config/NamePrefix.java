package dev.cdcrelay.stack.config;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The prefix of every physical name, {@code <project>-<stack>} by default, so that stacks of one
 * project (dev, prod) live side by side in one account. It is cut to what the strictest consumer
 * accepts: S3 bucket and ECR repository names are lower case, and IAM role names stop at 64
 * characters, of which Pulumi's auto-naming and the role suffixes take up to 32.
 */
public final class NamePrefix {

    public static final int MAX_LENGTH = 32;
    private static final Pattern VALID = Pattern.compile("[a-z][a-z0-9-]*[a-z0-9]");

    private NamePrefix() {
    }

    /** Lower case, every run of other characters turned into one hyphen, no hyphen at either end. */
    public static String derive(String projectName, String stackName) {
        return (projectName + "-" + stackName).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
    }

    /** Why {@code prefix} cannot be used, or null when it can. */
    public static String problemWith(String prefix) {
        if (prefix.length() < 3 || prefix.length() > MAX_LENGTH) {
            return "'" + prefix + "' must be 3 to " + MAX_LENGTH + " characters long";
        }
        if (!VALID.matcher(prefix).matches() || prefix.contains("--")) {
            return "'" + prefix + "' must be lower-case letters, digits and single hyphens, starting with a letter";
        }
        return null;
    }

    static String read(ConfigReader in, String projectName, String stackName) {
        var configured = in.optionalString(ConfigKeys.NAME_PREFIX);
        var prefix = configured.orElseGet(() -> derive(projectName, stackName));
        var problem = problemWith(prefix);
        if (problem != null) {
            in.problem(ConfigKeys.NAME_PREFIX, configured.isPresent() ? problem
                    : problem + " (derived from project and stack name); set a shorter one");
        }
        return prefix;
    }
}
