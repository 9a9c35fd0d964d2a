package com.answerline.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import reactor.core.publisher.Flux;

import com.answerline.ingest.client.MediaDownload;
import com.answerline.ingest.client.MediaReference;

/** The headers of a streamed media file: what a browser may show, under which type and name. */
class MediaHeadersTest {

    @Test
    void shouldShowPicturesSoundsAndVideosInlineButNotSvgOrDocuments() {
        assertThat(MediaController.shownInline(MediaType.IMAGE_JPEG)).isTrue();
        assertThat(MediaController.shownInline(MediaType.parseMediaType("audio/ogg; codecs=opus"))).isTrue();
        assertThat(MediaController.shownInline(MediaType.parseMediaType("video/mp4"))).isTrue();
        // SVG is a document that runs script; HTML and PDF are documents
        assertThat(MediaController.shownInline(MediaType.parseMediaType("image/svg+xml"))).isFalse();
        assertThat(MediaController.shownInline(MediaType.TEXT_HTML)).isFalse();
        assertThat(MediaController.shownInline(MediaType.APPLICATION_PDF)).isFalse();
    }

    @Test
    void shouldOfferAnSvgAsADownloadNamedByItsMediaIdWhenItHasNoName() {
        HttpHeaders headers = MediaController.headers(reference("image/svg+xml", null), download("image/svg+xml", 10));

        assertThat(headers.getContentType()).isEqualTo(MediaType.parseMediaType("image/svg+xml"));
        assertThat(headers.getContentDisposition().isAttachment()).isTrue();
        assertThat(headers.getContentDisposition().getFilename()).isEqualTo("1001");
    }

    @Test
    void shouldStripControlCharactersFromTheCustomersFileName() {
        HttpHeaders headers = MediaController.headers(reference("application/pdf", "invoice\r\nX-Evil: 1.pdf"),
                download("application/pdf", 10));

        assertThat(headers.getContentDisposition().getFilename()).isEqualTo("invoiceX-Evil: 1.pdf");
        assertThat(headers.getFirst(HttpHeaders.CONTENT_DISPOSITION)).doesNotContain("\r").doesNotContain("\n");
    }

    @Test
    void shouldFallBackToTheAnnouncedTypeThenToBytesAndLeaveAnUnknownLengthOut() {
        assertThat(MediaController.headers(reference("image/png", null), download(null, -1)).getContentType())
                .isEqualTo(MediaType.IMAGE_PNG);
        HttpHeaders unknown = MediaController.headers(reference("not a type", null), download("*/*", -1));
        assertThat(unknown.getContentType()).isEqualTo(MediaType.APPLICATION_OCTET_STREAM);
        assertThat(unknown.getContentLength()).isEqualTo(-1);
        assertThat(unknown.getContentDisposition().isAttachment()).isTrue();
    }

    private static MediaReference reference(String mimeType, String fileName) {
        return new MediaReference("1001", "100000000000001", mimeType, fileName, null, "in:wamid.1");
    }

    private static MediaDownload download(String contentType, long length) {
        return new MediaDownload(contentType, length, Flux.empty());
    }
}
