package com.arservice.mind;

import java.util.Objects;

/**
 * An 8-bit grey image, row-major, one byte per pixel (read unsigned), as MindAR's compiler works on.
 *
 * @param width  pixels per row
 * @param height rows
 * @param data   {@code width * height} grey values; not copied, callers must not mutate it afterwards
 */
public record GreyImage(int width, int height, byte[] data) {

    public GreyImage {
        Objects.requireNonNull(data, "data");
        if (width <= 0 || height <= 0 || (long) width * height != data.length) {
            throw new IllegalArgumentException("grey image " + width + "x" + height + " with " + data.length + " bytes");
        }
    }

    /** Grey value at column x, row y, 0..255. */
    public int get(int x, int y) {
        return data[y * width + x] & 0xff;
    }
}
