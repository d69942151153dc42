package dev.cdcrelay.stack;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The image is built only by `pulumi up`, where a mistake costs a deployment. These checks catch the
 * likely ones early: a module added to the root pom but not to the image's build context, or a handler
 * that moved.
 */
class ImageBuildFilesTest {

    static final Path ROOT = Path.of("..");
    static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    static final Pattern HANDLER = Pattern.compile("CMD \\[\"([\\w.]+)::handleRequest\"]");

    @Test
    void everyModulePomIsInTheContextAndCopied() throws IOException {
        var dockerfile = Files.readString(ROOT.resolve("function/Dockerfile"));
        var dockerignore = Files.readString(ROOT.resolve(".dockerignore"));
        var modules = MODULE.matcher(Files.readString(ROOT.resolve("pom.xml"))).results()
                .map(match -> match.group(1).trim()).toList();
        assertTrue(modules.contains("function"), "root pom modules: " + modules);
        for (var module : modules) {
            assertTrue(dockerfile.contains("COPY " + module + "/pom.xml " + module + "/"),
                    "function/Dockerfile must copy " + module + "/pom.xml: the reactor reads every module's pom");
            assertTrue(dockerignore.contains("!" + module + "/pom.xml"),
                    ".dockerignore must let " + module + "/pom.xml into the build context");
        }
    }

    @Test
    void theImageRunsTheRelayHandlerOnTheLambdaJavaBase() throws IOException {
        var dockerfile = Files.readString(ROOT.resolve("function/Dockerfile"));
        assertTrue(dockerfile.contains("FROM public.ecr.aws/lambda/java:21"));
        var handler = HANDLER.matcher(dockerfile);
        assertTrue(handler.find(), "CMD names the handler");
        var source = ROOT.resolve("function/src/main/java/" + handler.group(1).replace('.', '/') + ".java");
        assertTrue(Files.exists(source), "handler class " + handler.group(1) + " not found at " + source);
    }
}
