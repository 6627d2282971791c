package io.dlstation.tensorboard;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Encodes TensorBoard's {@code Event} protobuf for the two kinds of record this package writes: the file
 * version that opens a file, and a {@code Summary} of scalar values.
 *
 * <p>The encoder is assembled by hand on protobuf's {@link CodedOutputStream}: only three message types
 * and six fields are involved ({@code Event}, {@code Summary}, {@code Summary.Value}), so generating classes
 * would need protoc and TensorBoard's .proto files in the build for a few lines of wire format. The field
 * numbers are those of TensorBoard's {@code event.proto} and {@code summary.proto}:
 * <pre>
 * Event         { double wall_time = 1; int64 step = 2;
 *                 oneof what { string file_version = 3; Summary summary = 5; } }
 * Summary       { repeated Value value = 1; }
 * Summary.Value { string tag = 1; oneof value { float simple_value = 2; } }
 * </pre>
 * Output matches what protobuf itself emits for proto3: fields in number order, {@code wall_time} and
 * {@code step} left out when zero, the oneof members ({@code file_version}, {@code summary},
 * {@code simple_value}) always written, so a scalar of 0.0 is still a scalar.
 */
final class EventEncoder {
    static final int EVENT_WALL_TIME = 1;
    static final int EVENT_STEP = 2;
    static final int EVENT_FILE_VERSION = 3;
    static final int EVENT_SUMMARY = 5;
    static final int SUMMARY_VALUE = 1;
    static final int VALUE_TAG = 1;
    static final int VALUE_SIMPLE_VALUE = 2;

    private EventEncoder() {}

    /** {@code Event{wall_time, file_version}}: the first record of every file (step 0). */
    static byte[] fileVersion(double wallTime, String fileVersion) {
        int size = commonSize(wallTime, 0) + CodedOutputStream.computeStringSize(EVENT_FILE_VERSION, fileVersion);
        return encode(size, out -> {
            writeCommon(out, wallTime, 0);
            out.writeString(EVENT_FILE_VERSION, fileVersion);
        });
    }

    /**
     * {@code Event{wall_time, step, summary{value: [{tag, simple_value}, ...]}}}, the values in the map's
     * iteration order, each narrowed to a float.
     */
    static byte[] scalars(double wallTime, long step, Map<String, Double> values) {
        String[] tags = new String[values.size()];
        float[] floats = new float[values.size()];
        int[] valueSizes = new int[values.size()];
        int summarySize = 0;
        int i = 0;
        for (Map.Entry<String, Double> e : values.entrySet()) {
            tags[i] = e.getKey();
            floats[i] = e.getValue().floatValue();
            valueSizes[i] = CodedOutputStream.computeStringSize(VALUE_TAG, tags[i])
                    + CodedOutputStream.computeFloatSize(VALUE_SIMPLE_VALUE, floats[i]);
            summarySize += delimitedSize(SUMMARY_VALUE, valueSizes[i]);
            i++;
        }
        int size = commonSize(wallTime, step) + delimitedSize(EVENT_SUMMARY, summarySize);
        int summaryBytes = summarySize;
        return encode(size, out -> {
            writeCommon(out, wallTime, step);
            out.writeTag(EVENT_SUMMARY, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(summaryBytes);
            for (int v = 0; v < tags.length; v++) {
                out.writeTag(SUMMARY_VALUE, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt32NoTag(valueSizes[v]);
                out.writeString(VALUE_TAG, tags[v]);
                out.writeFloat(VALUE_SIMPLE_VALUE, floats[v]);
            }
        });
    }

    private static int commonSize(double wallTime, long step) {
        int size = 0;
        if (Double.doubleToRawLongBits(wallTime) != 0) {
            size += CodedOutputStream.computeDoubleSize(EVENT_WALL_TIME, wallTime);
        }
        if (step != 0) {
            size += CodedOutputStream.computeInt64Size(EVENT_STEP, step);
        }
        return size;
    }

    private static void writeCommon(CodedOutputStream out, double wallTime, long step) throws IOException {
        if (Double.doubleToRawLongBits(wallTime) != 0) {
            out.writeDouble(EVENT_WALL_TIME, wallTime);
        }
        if (step != 0) {
            out.writeInt64(EVENT_STEP, step);
        }
    }

    /** Size of a length-delimited field whose content is {@code contentSize} bytes. */
    private static int delimitedSize(int field, int contentSize) {
        return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(contentSize)
                + contentSize;
    }

    private interface Body {
        void writeTo(CodedOutputStream out) throws IOException;
    }

    private static byte[] encode(int size, Body body) {
        byte[] bytes = new byte[size];
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            body.writeTo(out);
        } catch (IOException e) {
            // only a size computed wrong can overflow an array-backed stream
            throw new UncheckedIOException("Event encoding overflowed its computed size " + size, e);
        }
        out.checkNoSpaceLeft();
        return bytes;
    }
}
