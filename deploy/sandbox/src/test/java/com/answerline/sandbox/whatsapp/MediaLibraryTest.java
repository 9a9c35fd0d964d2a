package com.answerline.sandbox.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MediaLibraryTest {

    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private static final String DEMO = "100000000000001";

    private final MediaLibrary library = new MediaLibrary(Duration.ofMinutes(5), Clock.fixed(T0, ZoneOffset.UTC));

    @Test
    void shouldKeepAFileUnderANewNumericMediaIdWithItsHash() {
        // When
        MediaLibrary.Media media = library.register(DEMO, MediaFiles.PDF, "invoice.pdf", new byte[] {1, 2, 3});

        // Then
        assertThat(media.id()).matches("\\d{16,19}");
        assertThat(media.size()).isEqualTo(3);
        assertThat(media.sha256()).isEqualTo(MediaFiles.sha256Hex(new byte[] {1, 2, 3}));
        assertThat(library.find(media.id())).contains(media);
        assertThat(library.register(DEMO, MediaFiles.PNG, null, new byte[] {1}).id()).isNotEqualTo(media.id());
    }

    @Test
    void shouldServeADownloadUrlForTheConfiguredMinutes() {
        // Given a URL handed out now
        MediaLibrary.Media media = library.register(DEMO, MediaFiles.PNG, null, new byte[] {7});
        MediaLibrary.DownloadTicket ticket = library.ticket(media.id());

        // Then it expires five minutes from now, and answers the file until then
        assertThat(ticket.ext()).isEqualTo(T0.plus(Duration.ofMinutes(5)).getEpochSecond());
        assertThat(library.redeem(ticket.mid(), Long.toString(ticket.ext()), ticket.hash())).isEqualTo(media);
    }

    @Test
    void shouldRefuseADownloadUrlFromItsExpiryOn() {
        // Given URLs that expire the moment they are handed out
        MediaLibrary expiring = new MediaLibrary(Duration.ZERO, Clock.fixed(T0, ZoneOffset.UTC));
        MediaLibrary.Media media = expiring.register(DEMO, MediaFiles.PNG, null, new byte[] {7});
        MediaLibrary.DownloadTicket ticket = expiring.ticket(media.id());

        // When / Then it is refused: 403, expired
        CloudApiException expired = catchThrowableOfType(CloudApiException.class,
                () -> expiring.redeem(ticket.mid(), Long.toString(ticket.ext()), ticket.hash()));
        assertThat(expired.error().httpStatus()).isEqualTo(403);
        assertThat(expired.error().message()).isEqualTo("URL signature expired");
    }

    @Test
    void shouldRefuseAUrlWhoseExpiryOrMediaIdWasChanged() {
        // Given two media and a URL for the first
        MediaLibrary.Media first = library.register(DEMO, MediaFiles.PNG, null, new byte[] {1});
        MediaLibrary.Media second = library.register(DEMO, MediaFiles.PNG, null, new byte[] {2});
        MediaLibrary.DownloadTicket ticket = library.ticket(first.id());

        // When its expiry is pushed back, or it is pointed at the other media, or the hash is missing
        // Then each is refused as a signature mismatch
        for (Runnable tampered : new Runnable[] {
                () -> library.redeem(ticket.mid(), Long.toString(ticket.ext() + 3600), ticket.hash()),
                () -> library.redeem(second.id(), Long.toString(ticket.ext()), ticket.hash()),
                () -> library.redeem(ticket.mid(), "soon", ticket.hash()),
                () -> library.redeem(ticket.mid(), Long.toString(ticket.ext()), null)}) {
            CloudApiException refused = catchThrowableOfType(CloudApiException.class, tampered::run);
            assertThat(refused.error().httpStatus()).isEqualTo(403);
            assertThat(refused.error().message()).isEqualTo("URL signature mismatch");
        }
    }

    @Test
    void shouldAnswer404ForAValidUrlOfMediaNoLongerKept() {
        // Given a URL, then the sandbox forgot its media (reset)
        MediaLibrary.Media media = library.register(DEMO, MediaFiles.PNG, null, new byte[] {1});
        MediaLibrary.DownloadTicket ticket = library.ticket(media.id());
        library.reset();

        // When / Then
        CloudApiException gone = catchThrowableOfType(CloudApiException.class,
                () -> library.redeem(ticket.mid(), Long.toString(ticket.ext()), ticket.hash()));
        assertThat(gone.error().httpStatus()).isEqualTo(404);
        assertThat(gone.error().code()).isEqualTo(100);
    }

    @Test
    void shouldForgetTheOldestMediaPastItsCapacity() {
        // Given the library full
        MediaLibrary.Media oldest = library.register(DEMO, MediaFiles.PNG, null, new byte[] {0});
        for (int i = 1; i < MediaLibrary.CAPACITY; i++) {
            library.register(DEMO, MediaFiles.PNG, null, new byte[] {1});
        }
        assertThat(library.find(oldest.id())).isPresent();

        // When one more arrives
        MediaLibrary.Media newest = library.register(DEMO, MediaFiles.PNG, null, new byte[] {2});

        // Then the oldest is gone and the newest kept
        assertThat(library.find(oldest.id())).isEmpty();
        assertThat(library.find(newest.id())).isPresent();
    }
}
