package com.answerline.sandbox.whatsapp;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * The files a simulated customer sends: a small PNG image and a one-page PDF, generated in code (no binary blobs in
 * the repository, no imaging library). Both are valid files a browser shows: the PNG is 8-bit RGB with one zlib IDAT
 * chunk, the PDF a single page in the standard Helvetica font with a correct cross-reference table.
 */
public final class MediaFiles {

    public static final String PNG = "image/png";
    public static final String PDF = "application/pdf";

    static final int IMAGE_SIZE = 64;
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private MediaFiles() {
    }

    /** A 64x64 picture whose colours follow {@code seed}, so two media ids look different. */
    public static byte[] png(String seed) {
        byte[] colours = sha256(seed.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream scanlines = new ByteArrayOutputStream();
        for (int y = 0; y < IMAGE_SIZE; y++) {
            scanlines.write(0); // filter type None
            for (int x = 0; x < IMAGE_SIZE; x++) {
                // Four quadrants of the seed's colours, shaded diagonally.
                int quadrant = (y < IMAGE_SIZE / 2 ? 0 : 2) + (x < IMAGE_SIZE / 2 ? 0 : 1);
                int shade = (x + y) * 2;
                for (int channel = 0; channel < 3; channel++) {
                    scanlines.write(((colours[quadrant * 3 + channel] & 0xff) + shade) & 0xff);
                }
            }
        }
        ByteBuffer header = ByteBuffer.allocate(13)
                .putInt(IMAGE_SIZE).putInt(IMAGE_SIZE)
                .put((byte) 8)  // bit depth
                .put((byte) 2)  // colour type: RGB
                .put((byte) 0)  // compression: deflate
                .put((byte) 0)  // filter method
                .put((byte) 0); // no interlace
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(PNG_SIGNATURE);
        chunk(png, "IHDR", header.array());
        chunk(png, "IDAT", deflate(scanlines.toByteArray()));
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    /**
     * A one-page PDF showing {@code title} and {@code text}. Characters outside printable ASCII become '?': the
     * standard fonts need no embedding only for their own encoding, and a sandbox file need not be typeset.
     */
    public static byte[] pdf(String title, String text) {
        String content = "BT /F1 18 Tf 72 770 Td (" + pdfString(title) + ") Tj"
                + " /F1 12 Tf 0 -28 Td (" + pdfString(text == null ? "" : text) + ") Tj ET\n";
        List<String> objects = List.of(
                "<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
                        + " /Resources << /Font << /F1 5 0 R >> >> >>",
                "<< /Length " + content.length() + " >>\nstream\n" + content + "endstream",
                "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        StringBuilder pdf = new StringBuilder("%PDF-1.4\n");
        List<Integer> offsets = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            offsets.add(pdf.length()); // ASCII only: characters are bytes
            pdf.append(i + 1).append(" 0 obj\n").append(objects.get(i)).append("\nendobj\n");
        }
        int xref = pdf.length();
        pdf.append("xref\n0 ").append(objects.size() + 1).append('\n').append("0000000000 65535 f \n");
        // Each entry is exactly 20 bytes, its end of line included.
        offsets.forEach(offset -> pdf.append(String.format(Locale.ROOT, "%010d 00000 n \n", offset)));
        pdf.append("trailer\n<< /Size ").append(objects.size() + 1).append(" /Root 1 0 R >>\n")
                .append("startxref\n").append(xref).append("\n%%EOF\n");
        return pdf.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The lowercase hex SHA-256 of a file, as the Cloud API reports it ({@code sha256}). */
    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256(bytes));
    }

    private static String pdfString(String value) {
        StringBuilder escaped = new StringBuilder();
        value.codePoints().forEach(c -> {
            if (c == '(' || c == ')' || c == '\\') {
                escaped.append('\\').append((char) c);
            } else {
                escaped.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
            }
        });
        return escaped.toString();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        png.writeBytes(typeBytes);
        png.writeBytes(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
