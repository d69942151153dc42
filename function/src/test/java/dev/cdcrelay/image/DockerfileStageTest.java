package dev.cdcrelay.image;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading a Dockerfile's final stage the way BuildKit does, for the contract test to replay it. */
class DockerfileStageTest {

    private static final String TWO_STAGES = """
            # comment
            FROM maven AS build
            RUN mvn package
            ENTRYPOINT ["not", "this", "stage"]

            FROM base:21
            WORKDIR /var/task
            ENV A=1 B="two words"
            ENV C three words
            COPY --from=build /src/function/target/lib/ /var/task/lib/
            # a comment between the lines of nothing
            ENTRYPOINT ["/var/lang/bin/java", \\
                "-cp", "/var/task/function.jar", \\
                "Main"]
            CMD ["handler::handleRequest"]
            """;

    @Test
    void readsOnlyTheLastStageWithContinuationLinesJoined() {
        DockerfileStage stage = DockerfileStage.finalStage(TWO_STAGES);
        assertEquals("base:21", stage.from());
        assertEquals(List.of("/var/lang/bin/java", "-cp", "/var/task/function.jar", "Main", "handler::handleRequest"),
                stage.commandLine());
        assertEquals(Optional.of("/var/task"), stage.workdir());
        assertTrue(stage.instructions().stream().noneMatch(DockerfileStage.Run.class::isInstance), "the build stage's RUN");
    }

    @Test
    void readsBothEnvForms() {
        assertEquals(Map.of("A", "1", "B", "two words", "C", "three words"),
                DockerfileStage.finalStage(TWO_STAGES).environment());
    }

    @Test
    void readsCopyFromAStage() {
        DockerfileStage.Copy copy = (DockerfileStage.Copy) DockerfileStage.finalStage(TWO_STAGES).instructions().stream()
                .filter(DockerfileStage.Copy.class::isInstance).findFirst().orElseThrow();
        assertEquals(new DockerfileStage.Copy(Optional.of("build"), List.of("/src/function/target/lib/"), "/var/task/lib/"), copy);
    }

    @Test
    void refusesAShellFormEntrypoint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DockerfileStage.finalStage("FROM x\nENTRYPOINT java -cp a Main\n"));
        assertEquals("ENTRYPOINT must use the exec (JSON) form, got: java -cp a Main", e.getMessage());
    }

    @Test
    void refusesAnInstructionItCannotReplay() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DockerfileStage.finalStage("FROM x\nUSER nobody\n"));
        assertTrue(e.getMessage().startsWith("the final stage uses USER, which DockerfileStage does not replay yet"),
                e.getMessage());
    }

    @Test
    void theFunctionsDockerfileHasAFinalStageOfItsOwn() {
        List<String> command = DockerfileStage.finalStageOf(Path.of("Dockerfile")).commandLine();
        assertEquals("/var/lang/bin/java", command.get(0));
        assertEquals("com.amazonaws.services.lambda.runtime.api.client.AWSLambda", command.get(command.size() - 2));
        assertEquals("dev.cdcrelay.handler.RelayHandler::handleRequest", command.get(command.size() - 1));
    }
}
