package dev.cdcrelay.stack.components;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class FunctionImageTest {

    static final String DIGEST = "sha256:" + "ab".repeat(32);
    static final String OWN_REPOSITORY = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/relay-dev-function-image-x";

    @Test
    void imageUriIsTheOwnRepositoryAtTheDigest() {
        assertEquals(OWN_REPOSITORY + "@" + DIGEST, FunctionImage.imageUri(OWN_REPOSITORY, OWN_REPOSITORY + "@" + DIGEST));
    }

    @Test
    void anIdenticalImageFirstPushedByAnotherStackStillRunsFromThisStacksRepository() {
        var otherRepository = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/relay-prod-function-image-y";
        assertEquals(OWN_REPOSITORY + "@" + DIGEST, FunctionImage.imageUri(OWN_REPOSITORY, otherRepository + "@" + DIGEST));
    }

    @Test
    void aMissingDigestFailsLoudly() {
        var failure = assertThrows(IllegalStateException.class, () -> FunctionImage.imageUri(OWN_REPOSITORY, null));
        assertTrue(failure.getMessage().contains("no digest"));
    }

    @Test
    void registryHostIsTheUrlBeforeTheRepositoryPath() {
        assertEquals("123456789012.dkr.ecr.eu-central-1.amazonaws.com", FunctionImage.registryHost(OWN_REPOSITORY));
    }
}
