package dev.cdcrelay.write;

import dev.cdcrelay.decode.ChangeDecoder;
import dev.cdcrelay.decode.ChangeRecord;
import dev.cdcrelay.decode.EventName;
import dev.cdcrelay.decode.InvalidRecordException;
import dev.cdcrelay.decode.RawImage;
import dev.cdcrelay.plan.ColumnKinds;
import dev.cdcrelay.testing.KinesisRecords;
import dev.cdcrelay.testing.RandomImages;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whether a row brings sub-columns the table lacks: the same answer from an image's bytes as from its built attributes. */
class SubColumnsTest {

    @Test
    void theBytesOfAnImageAreCoveredExactlyWhenItsBuiltAttributesAre() throws InvalidRecordException {
        ChangeDecoder decoder = new ChangeDecoder();
        KinesisRecords seq = new KinesisRecords(1);
        Random rnd = new Random(5);
        int covered = 0;
        int compared = 0;
        for (int n = 0; n < 4000; n++) {
            ChangeRecord change = decoder.decode(seq.next(RandomImages.change(rnd)));
            if (change.eventName() == EventName.REMOVE) {
                continue;
            }
            RawImage image = assertInstanceOf(RawImage.class, change.newImage());
            // What a catalog might list: the image's own names and others, a level or two deep,
            // typed or not (CrateDB's undefined columns of nulls and empty lists).
            SubColumns known = new SubColumns();
            for (String name : image.attributes().keySet()) {
                if (rnd.nextInt(5) > 0) {
                    known.add(name, rnd.nextInt(6) > 0);
                }
            }
            for (int k = rnd.nextInt(12); k > 0; k--) {
                String path = RandomImages.NAMES[rnd.nextInt(RandomImages.NAMES.length)];
                for (int level = rnd.nextInt(3); level > 0; level--) {
                    path += ColumnKinds.SEP + RandomImages.NAMES[rnd.nextInt(RandomImages.NAMES.length)];
                }
                known.add(path, rnd.nextInt(4) > 0);
            }
            boolean fromBytes = known.cover(image);
            assertEquals(known.cover(image.attributes()), fromBytes, image.toString());
            covered += fromBytes ? 1 : 0;
            compared++;
        }
        assertTrue(covered > compared / 20 && covered < compared * 19 / 20, covered + " of " + compared + " covered");
    }
}
