package dev.cdcrelay.deadletter;

import dev.cdcrelay.testing.AwsChunkedBody;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class S3DeadLetterSinkTest {

    // Made-up credentials: the tests never look at real ones, and never print these.
    private static final String ACCESS_KEY_ID = "AKIDTEST";
    private static final String SECRET_ACCESS_KEY = "secret";

    private RecordingS3Server s3;
    private S3DeadLetterSink sink;

    @BeforeEach
    void startServer() throws Exception {
        s3 = new RecordingS3Server();
        sink = new S3DeadLetterSink("relay-dead-letters", "prod/dead-letters", settings(2));
    }

    @AfterEach
    void stopServer() {
        sink.close();
        s3.close();
    }

    private S3ClientSettings settings(int maxAttempts) {
        return S3ClientSettings.forRegion("eu-central-1")
                .withEndpoint(s3.endpoint())
                .withPathStyleAccess()
                .withMaxAttempts(maxAttempts)
                .withStaticCredentials(ACCESS_KEY_ID, SECRET_ACCESS_KEY);
    }

    @Test
    void putsOneEncryptedJsonObjectPerLetter() throws Exception {
        DeadLetter small = TestLetters.letter("49590338271490256608559692538361571095921575989136588898", "{oops");
        DeadLetter large = TestLetters.letter("49590338271490256608559692538361571095921575989136588899",
                TestLetters.largeBinaryPayload());

        sink.send(List.of(small, large));

        List<RecordingS3Server.Request> requests = s3.requests();
        assertEquals(2, requests.size());
        for (DeadLetter letter : List.of(small, large)) {
            // Uploads run in parallel: match each letter to its request by key, not by order.
            String path = "/relay-dead-letters/prod/dead-letters/2024/07/12/" + letter.record().sequenceNumber() + "-"
                    + DeadLetterNames.shortHash(letter.record().data()) + ".json";
            RecordingS3Server.Request put = requests.stream().filter(r -> r.rawPath().equals(path)).findFirst()
                    .orElseThrow(() -> new AssertionError("no PUT of " + path));
            assertEquals("PUT", put.method());
            assertEquals("application/json", put.header("content-type"));
            assertEquals("AES256", put.header("x-amz-server-side-encryption"));
            assertTrue(put.header("authorization").contains("Credential=" + ACCESS_KEY_ID + "/"),
                    "signed with the test credentials, region eu-central-1");
            byte[] stored = storedBytes(put);
            assertArrayEquals(DeadLetterCodec.write(letter), stored);
            assertEquals(letter, DeadLetterCodec.read(stored));
        }
    }

    @Test
    void aServerErrorMakesSendThrowAfterTheBoundedRetries() {
        s3.respondWith(500, 500);

        DeadLetterException e = assertThrows(DeadLetterException.class,
                () -> sink.send(List.of(TestLetters.letter("1", "{oops"))));

        assertEquals(2, s3.requests().size(), "the standard retry, bounded at 2 attempts here");
        assertTrue(e.getMessage().contains("500"), e.getMessage());
        assertTrue(e.getMessage().contains("s3://relay-dead-letters/prod/dead-letters/2024/07/12/1-"), e.getMessage());
    }

    @Test
    void accessDeniedMakesSendThrowWithoutRetrying() {
        s3.respondWith(403);

        DeadLetterException e = assertThrows(DeadLetterException.class,
                () -> sink.send(List.of(TestLetters.letter("1", "{oops"))));

        assertEquals(1, s3.requests().size(), "403 is not worth retrying");
        assertTrue(e.getMessage().contains("AccessDenied"), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET_ACCESS_KEY), "never shows the secret");
    }

    @Test
    void aPassingServerErrorIsRetriedAndTheLetterStored() throws Exception {
        s3.respondWith(500);
        DeadLetter letter = TestLetters.letter("1", "{oops");

        sink.send(List.of(letter));

        List<RecordingS3Server.Request> requests = s3.requests();
        assertEquals(2, requests.size());
        assertEquals(requests.get(0).rawPath(), requests.get(1).rawPath());
        assertArrayEquals(DeadLetterCodec.write(letter), storedBytes(requests.get(1)));
    }

    @Test
    void aFailureAfterSomeLettersStillFailsTheWholeSend() {
        s3.respondWith(200, 403);

        DeadLetterException e = assertThrows(DeadLetterException.class, () -> sink.send(List.of(
                TestLetters.letter("1", "{a"), TestLetters.letter("2", "{b"), TestLetters.letter("3", "{c"))));

        assertEquals(3, s3.requests().size(), "every letter is tried; the send still fails as a whole");
        assertTrue(e.getMessage().startsWith("1 of 3 dead letters not stored; first: dead letter for sequence number "),
                e.getMessage());
    }

    @Test
    void manyLettersAreUploadedInParallelAndAllStored() throws Exception {
        List<DeadLetter> letters = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            letters.add(TestLetters.letter(Integer.toString(1000 + i), "{poison " + i));
        }
        sink.send(letters);
        assertEquals(40, s3.requests().stream().map(RecordingS3Server.Request::rawPath).distinct().count());
    }

    @Test
    void anUnreachableEndpointMakesSendThrow() throws Exception {
        s3.close(); // nothing listens on the port any more
        try (S3DeadLetterSink unreachable = new S3DeadLetterSink("b", "", settings(1))) {
            assertThrows(DeadLetterException.class, () -> unreachable.send(List.of(TestLetters.letter("1", "{"))));
        }
    }

    @Test
    void describesBucketAndPrefixAndNormalizesThePrefix() {
        S3ClientSettings settings = settings(1);

        assertEquals("s3://relay-dead-letters/prod/dead-letters/", sink.describe());
        assertEquals("s3://b/", new S3DeadLetterSink("b", "", settings).describe());
        assertEquals("s3://b/p/", new S3DeadLetterSink("b", "/p/", settings).describe());
        assertTrue(new S3DeadLetterSink("b", "", settings).keyFor(TestLetters.letter("1", "{}"))
                .startsWith("2024/07/12/1-"));
    }

    @Test
    void settingsNeverShowTheSecret() {
        String text = settings(1).toString();

        assertFalse(text.contains(SECRET_ACCESS_KEY), text);
        assertFalse(text.contains(ACCESS_KEY_ID), text);
        assertTrue(text.contains("eu-central-1"), text);
    }

    /**
     * Cold start: building the sink, describing it and an empty send must not load a single AWS
     * SDK class. Runs the sink in a class loader of its own that records every class it is asked for.
     */
    @Test
    void noSdkClassLoadsBeforeTheFirstLetter() throws Exception {
        List<String> requested = Collections.synchronizedList(new ArrayList<>());
        try (URLClassLoader isolated = new URLClassLoader(testClasspath(), ClassLoader.getPlatformClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                requested.add(name);
                return super.loadClass(name, resolve);
            }
        }) {
            Class<?> settingsClass = Class.forName(S3ClientSettings.class.getName(), true, isolated);
            Object settings = settingsClass.getMethod("forRegion", String.class).invoke(null, "eu-central-1");
            Class<?> sinkClass = Class.forName(S3DeadLetterSink.class.getName(), true, isolated);
            Object isolatedSink = sinkClass.getConstructor(String.class, String.class, settingsClass)
                    .newInstance("b", "p", settings);
            sinkClass.getMethod("describe").invoke(isolatedSink);
            sinkClass.getMethod("send", List.class).invoke(isolatedSink, List.of());
            sinkClass.getMethod("close").invoke(isolatedSink);
        }

        assertTrue(requested.contains(S3DeadLetterSink.class.getName()), "the recording loader was used");
        List<String> sdk = requested.stream()
                .filter(name -> name.startsWith("software.amazon.") || name.endsWith("S3ObjectUploader"))
                .toList();
        assertEquals(List.of(), sdk);
    }

    private static URL[] testClasspath() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            urls.add(Path.of(entry).toUri().toURL());
        }
        return urls.toArray(URL[]::new);
    }

    /** What S3 would store: the body without the SDK's aws-chunked framing, checked against its CRC32. */
    private static byte[] storedBytes(RecordingS3Server.Request put) {
        if (!"aws-chunked".equals(put.header("content-encoding"))) {
            return put.body();
        }
        AwsChunkedBody body = AwsChunkedBody.decode(put.body());
        assertEquals(String.valueOf(body.content().length), put.header("x-amz-decoded-content-length"));
        String checksum = body.trailers().get("x-amz-checksum-crc32");
        if (checksum != null) {
            CRC32 crc = new CRC32();
            crc.update(body.content());
            assertEquals(Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array()),
                    checksum, "the CRC32 trailer matches what arrived");
        }
        return body.content();
    }
}
