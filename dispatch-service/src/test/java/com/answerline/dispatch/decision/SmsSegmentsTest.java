package com.answerline.dispatch.decision;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.answerline.dispatch.decision.SmsSegments.Encoding;

class SmsSegmentsTest {

    @Test
    void shouldCountPlainLatinTextAsGsm7Septets() {
        SmsSegments segments = SmsSegments.of("Hello @ 10:00, your parcel (§12) left! Straße Ä");

        assertThat(segments.encoding()).isEqualTo(Encoding.GSM_7);
        assertThat(segments.units()).isEqualTo(47);
        assertThat(segments.segments()).isEqualTo(1);
    }

    @Test
    void shouldCountEveryExtensionCharacterAsTwoSeptets() {
        SmsSegments segments = SmsSegments.of("€[]{}\\^~|");

        assertThat(segments.encoding()).isEqualTo(Encoding.GSM_7);
        assertThat(segments.units()).isEqualTo(18);
    }

    @Test
    void shouldFitExactly160SeptetsInOneSegmentAnd161InTwo() {
        assertThat(SmsSegments.of("a".repeat(160)).segments()).isEqualTo(1);
        assertThat(SmsSegments.of("a".repeat(161)).segments()).isEqualTo(2);
        // 159 plain + one extension character = 161 septets
        assertThat(SmsSegments.of("a".repeat(159) + "€").segments()).isEqualTo(2);
    }

    @Test
    void shouldPackMultipartGsm7By153() {
        assertThat(SmsSegments.of("a".repeat(153 * 2)).segments()).isEqualTo(2);
        assertThat(SmsSegments.of("a".repeat(153 * 2 + 1)).segments()).isEqualTo(3);
    }

    @Test
    void shouldSwitchTheWholeMessageToUcs2ForOneEmojiCountingItAsTwoUnits() {
        SmsSegments segments = SmsSegments.of("Thanks 👍");

        assertThat(segments.encoding()).isEqualTo(Encoding.UCS_2);
        assertThat(segments.units()).isEqualTo(9);
        assertThat(segments.segments()).isEqualTo(1);
    }

    @Test
    void shouldUseUcs2ForCurlyQuotesAndNonLatinScripts() {
        assertThat(SmsSegments.of("It’s here").encoding()).isEqualTo(Encoding.UCS_2);
        assertThat(SmsSegments.of("Привет").encoding()).isEqualTo(Encoding.UCS_2);
    }

    @Test
    void shouldFitExactly70Ucs2UnitsInOneSegmentAnd71InTwo() {
        assertThat(SmsSegments.of("ж".repeat(70)).segments()).isEqualTo(1);
        assertThat(SmsSegments.of("ж".repeat(71)).segments()).isEqualTo(2);
        // 68 + an emoji (two units) = 70, one more = 71
        assertThat(SmsSegments.of("ж".repeat(68) + "😀").segments()).isEqualTo(1);
        assertThat(SmsSegments.of("ж".repeat(69) + "😀").segments()).isEqualTo(2);
    }

    @Test
    void shouldPackMultipartUcs2By67() {
        assertThat(SmsSegments.of("ж".repeat(67 * 2)).segments()).isEqualTo(2);
        assertThat(SmsSegments.of("ж".repeat(67 * 2 + 1)).segments()).isEqualTo(3);
    }
}
