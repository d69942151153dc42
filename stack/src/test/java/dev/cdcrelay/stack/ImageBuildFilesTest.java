package dev.cdcrelay.stack;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The image is built only by `pulumi up`, where a mistake costs a deployment. These checks catch the
 * likely ones early: another module creeping into the image's build context, or a handler that moved.
 * (The image's final stage itself is run by function's ImageRuntimeContractIT.)
 */
class ImageBuildFilesTest {

    static final Path ROOT = Path.of("..");
    static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    static final Pattern HANDLER = Pattern.compile("CMD \\[\"([\\w.]+)::handleRequest\"]");

    /**
     * The Maven stage builds function/pom.xml alone (no reactor), so no other module is in the build
     * context: a change to stack/ cannot reach the image (docs/performance.md, "The image build").
     */
    @Test
    void theImageBuildReadsTheFunctionModuleAlone() throws IOException {
        var dockerfile = Files.readString(ROOT.resolve("function/Dockerfile"));
        var dockerignore = Files.readString(ROOT.resolve(".dockerignore"));
        var modules = MODULE.matcher(Files.readString(ROOT.resolve("pom.xml"))).results()
                .map(match -> match.group(1).trim()).toList();
        assertTrue(modules.contains("function"), "root pom modules: " + modules);
        assertTrue(dockerfile.contains("mvn -B -q -f function/pom.xml package"), "the Maven stage builds function/pom.xml alone");
        var functionPom = Files.readString(ROOT.resolve("function/pom.xml"));
        for (var module : modules) {
            if (module.equals("function")) {
                continue;
            }
            // A module whose sources the function compiles in (settings/) is in the context with those sources only.
            var sources = module + "/src/main";
            var compiledIn = functionPom.contains("<source>${project.basedir}/../" + sources + "/java</source>");
            var copiesOnlySources = dockerfile.replace("COPY " + sources + " " + sources, "");
            var letsInOnlySources = dockerignore.replace("!" + sources + "/**", "");
            assertEquals(compiledIn, dockerfile.contains("COPY " + sources + " " + sources),
                    "function/Dockerfile copies " + sources + " exactly when function/pom.xml compiles it in");
            assertEquals(compiledIn, dockerignore.contains("!" + sources + "/**"),
                    ".dockerignore lets " + sources + " in exactly when function/pom.xml compiles it in");
            assertFalse(copiesOnlySources.contains("COPY " + module + "/"), "function/Dockerfile copies " + module + "/");
            assertFalse(letsInOnlySources.contains("!" + module + "/"), ".dockerignore lets " + module + "/ into the context");
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
