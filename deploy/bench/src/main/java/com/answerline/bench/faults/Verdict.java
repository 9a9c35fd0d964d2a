package com.answerline.bench.faults;

import java.util.List;

/**
 * What one scenario proved, from the data: one row of docs/reliability.md.
 *
 * @param checked    what was counted ("1,980 webhooks accepted, 396 replies accepted")
 * @param lost       accepted messages not folded, accepted replies without a final outcome, SENT replies not on
 *                   the phone
 * @param duplicated messages folded twice, replies with more than one distinct final outcome, extra copies on the
 *                   phones
 * @param notes      the outcome mix and anything a reader needs to judge the row (why a duplicate happened)
 */
record Verdict(String scenario, String load, String checked, long lost, long duplicated, List<String> notes,
               boolean passed) {
}
