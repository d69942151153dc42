package dev.cdcrelay.backfill;

import java.util.List;

/**
 * What came of one snapshot source.
 *
 * @param source      the file (relative to the export directory) or segment name
 * @param itemsRead   items read from it (lines, valid or not)
 * @param itemsLoaded items whose change is in the sink (or rightly superseded there by a newer one)
 * @param problems    one line per problem, each naming the source and, where there is one, the line;
 *                    empty when every item of the source was loaded and its checks passed
 * @param notTaken    valid items the sink did not take (it was down or refused them): a problem of
 *                    the sink, not of the items; loading again may succeed
 */
public record SourceOutcome(String source, long itemsRead, long itemsLoaded, List<String> problems, long notTaken) {

    public SourceOutcome {
        problems = List.copyOf(problems);
    }

    public SourceOutcome(String source, long itemsRead, long itemsLoaded, List<String> problems) {
        this(source, itemsRead, itemsLoaded, problems, 0);
    }

    public boolean clean() {
        return problems.isEmpty();
    }
}
