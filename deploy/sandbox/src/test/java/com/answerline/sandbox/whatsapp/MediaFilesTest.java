package com.answerline.sandbox.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class MediaFilesTest {

    @Test
    void shouldGenerateAPngThatAnImageDecoderReads() throws IOException {
        // When
        byte[] png = MediaFiles.png("seed-1");

        // Then the JDK's own PNG decoder reads a 64x64 picture (signature, chunk CRCs and zlib data are valid)
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isEqualTo(MediaFiles.IMAGE_SIZE);
        assertThat(image.getHeight()).isEqualTo(MediaFiles.IMAGE_SIZE);
        // And it is small, as a sandbox file should be
        assertThat(png.length).isLessThan(20_000);
    }

    @Test
    void shouldGenerateDifferentPicturesForDifferentSeeds() throws IOException {
        BufferedImage first = ImageIO.read(new ByteArrayInputStream(MediaFiles.png("seed-1")));
        BufferedImage second = ImageIO.read(new ByteArrayInputStream(MediaFiles.png("seed-2")));

        assertThat(first.getRGB(0, 0)).isNotEqualTo(second.getRGB(0, 0));
    }

    @Test
    void shouldGenerateAPdfWhoseCrossReferenceTablePointsAtItsObjects() {
        // When
        String pdf = new String(MediaFiles.pdf("invoice.pdf", "Invoice (December)"), StandardCharsets.US_ASCII);

        // Then it is a PDF with its trailer
        assertThat(pdf).startsWith("%PDF-1.4\n").endsWith("%%EOF\n");
        // And startxref names the byte offset of the xref table, whose entries name each object's offset
        Matcher startxref = Pattern.compile("startxref\n(\\d+)\n").matcher(pdf);
        assertThat(startxref.find()).isTrue();
        int xref = Integer.parseInt(startxref.group(1));
        assertThat(pdf.substring(xref)).startsWith("xref\n0 6\n0000000000 65535 f \n");
        Matcher entries = Pattern.compile("(\\d{10}) 00000 n \n").matcher(pdf.substring(xref));
        int object = 1;
        while (entries.find()) {
            assertThat(pdf.substring(Integer.parseInt(entries.group(1)))).startsWith(object + " 0 obj\n");
            object++;
        }
        assertThat(object).isEqualTo(6);
        // And the page's content stream has the length it declares, the text with its parentheses escaped
        Matcher stream = Pattern.compile("<< /Length (\\d+) >>\nstream\n(.*?)endstream", Pattern.DOTALL).matcher(pdf);
        assertThat(stream.find()).isTrue();
        assertThat(stream.group(2)).hasSize(Integer.parseInt(stream.group(1)))
                .contains("(invoice.pdf) Tj").contains("(Invoice \\(December\\)) Tj");
    }

    @Test
    void shouldWriteCharactersOutsidePrintableAsciiAsQuestionMarks() {
        String pdf = new String(MediaFiles.pdf("Rechnung März.pdf", "👍"), StandardCharsets.US_ASCII);

        assertThat(pdf).contains("(Rechnung M?rz.pdf) Tj").contains("(?) Tj");
    }

    @Test
    void shouldReportTheSha256AsLowercaseHex() {
        assertThat(MediaFiles.sha256Hex("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
