package com.answerline.sandbox.sms;

import static org.assertj.core.api.Assertions.assertThat;

import com.answerline.sandbox.sms.SmsSegments.Encoding;
import org.junit.jupiter.api.Test;

class SmsSegmentsTest {

    @Test
    void shouldFit160Gsm7CharactersInOneSegment() {
        // Given a body of exactly 160 GSM-7 characters
        String body = "a".repeat(160);

        // When / Then
        assertThat(SmsSegments.count(body)).isEqualTo(new SmsSegments.Count(Encoding.GSM7, 160, 1));
    }

    @Test
    void shouldSplitGsm7BodiesInto153CharacterParts() {
        assertThat(SmsSegments.count("a".repeat(161)).segments()).isEqualTo(2);
        assertThat(SmsSegments.count("a".repeat(306)).segments()).isEqualTo(2);
        assertThat(SmsSegments.count("a".repeat(307)).segments()).isEqualTo(3);
    }

    @Test
    void shouldCountGsm7ExtensionCharactersAsTwo() {
        // Given extension characters, which take ESC + character: two septets each
        assertThat(SmsSegments.count("a".repeat(79) + "€").units()).isEqualTo(81);
        assertThat(SmsSegments.count("a".repeat(159) + "{").segments()).isEqualTo(2);
        assertThat(SmsSegments.count("[]{}\\^~|€").units()).isEqualTo(18);
    }

    @Test
    void shouldKeepGsm7ForAccentedLettersOfTheGsmAlphabet() {
        assertThat(SmsSegments.count("Ça coûte 5 € à Zürich? ¿Sí!").encoding())
                .as("û and í are not in GSM-7")
                .isEqualTo(Encoding.UCS2);
        assertThat(SmsSegments.count("Ça va à Zürich? ¿Ñ! é è ù ì ò").encoding()).isEqualTo(Encoding.GSM7);
    }

    @Test
    void shouldSwitchTheWholeMessageToUcs2ForOneEmoji() {
        // Given 69 GSM-7 characters and an emoji, which takes two UCS-2 units
        String body = "a".repeat(69) + "😀";

        // When
        SmsSegments.Count count = SmsSegments.count(body);

        // Then 71 units exceed one UCS-2 SMS (70): two parts of up to 67
        assertThat(count).isEqualTo(new SmsSegments.Count(Encoding.UCS2, 71, 2));
    }

    @Test
    void shouldUseUcs2ForCurlyQuotes() {
        assertThat(SmsSegments.count("It’s “quoted”").encoding()).isEqualTo(Encoding.UCS2);
        assertThat(SmsSegments.count("x".repeat(70) + "’").segments()).isEqualTo(2);
        assertThat(SmsSegments.count("x".repeat(69) + "’").segments()).isEqualTo(1);
        assertThat(SmsSegments.count("x".repeat(133) + "’").segments()).isEqualTo(2);
        assertThat(SmsSegments.count("x".repeat(134) + "’").segments()).isEqualTo(3);
    }
}
