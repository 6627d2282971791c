package io.dlstation.tensorboard;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the parts of a TensorBoard {@code Event} that {@link EventFileReader} reports: wall time, step,
 * file version and the {@code simple_value} scalars of a summary. Other fields (graphs, images, histograms,
 * tensors) are skipped, so files from other writers read too. Field numbers as in {@link EventEncoder}.
 */
final class EventDecoder {
    private static final int WALL_TIME = tag(EventEncoder.EVENT_WALL_TIME, WireFormat.WIRETYPE_FIXED64);
    private static final int STEP = tag(EventEncoder.EVENT_STEP, WireFormat.WIRETYPE_VARINT);
    private static final int FILE_VERSION = tag(EventEncoder.EVENT_FILE_VERSION, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int SUMMARY = tag(EventEncoder.EVENT_SUMMARY, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int SUMMARY_VALUE = tag(EventEncoder.SUMMARY_VALUE, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int VALUE_TAG = tag(EventEncoder.VALUE_TAG, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int VALUE_SIMPLE_VALUE = tag(EventEncoder.VALUE_SIMPLE_VALUE, WireFormat.WIRETYPE_FIXED32);

    /** One decoded event: {@code fileVersion} is null when the event carries none. */
    record Decoded(double wallTime, long step, String fileVersion, List<ScalarEvent> scalars) {}

    private record TaggedValue(String tag, float value) {}

    private EventDecoder() {}

    /** A field's key on the wire: its number and wire type (protobuf's own helper is not public). */
    private static int tag(int field, int wireType) {
        return field << 3 | wireType;
    }

    /** Decodes one record's data, the first {@code length} bytes; throws on bytes that are not a valid message. */
    static Decoded decode(byte[] data, int length) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(data, 0, length);
        double wallTime = 0;
        long step = 0;
        String fileVersion = null;
        List<TaggedValue> values = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag == WALL_TIME) {
                wallTime = in.readDouble();
            } else if (tag == STEP) {
                step = in.readInt64();
            } else if (tag == FILE_VERSION) {
                fileVersion = in.readString();
            } else if (tag == SUMMARY) {
                int limit = in.pushLimit(in.readRawVarint32());
                readSummary(in, values);
                in.popLimit(limit);
            } else {
                skip(in, tag);
            }
        }
        List<ScalarEvent> scalars = new ArrayList<>(values.size());
        for (TaggedValue v : values) {
            scalars.add(new ScalarEvent(v.tag(), step, wallTime, v.value()));
        }
        return new Decoded(wallTime, step, fileVersion, scalars);
    }

    private static void readSummary(CodedInputStream in, List<TaggedValue> values) throws IOException {
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag == SUMMARY_VALUE) {
                int limit = in.pushLimit(in.readRawVarint32());
                readValue(in, values);
                in.popLimit(limit);
            } else {
                skip(in, tag);
            }
        }
    }

    /** Skips a field this reader does not report; an end-group tag cannot occur in these messages. */
    private static void skip(CodedInputStream in, int tag) throws IOException {
        if (!in.skipField(tag)) {
            throw new InvalidProtocolBufferException("unexpected end-group tag " + tag);
        }
    }

    /** Adds the value when it is a {@code simple_value}; images, histograms and tensors are left out. */
    private static void readValue(CodedInputStream in, List<TaggedValue> values) throws IOException {
        String tag = "";
        Float simple = null;
        for (int field = in.readTag(); field != 0; field = in.readTag()) {
            if (field == VALUE_TAG) {
                tag = in.readString();
            } else if (field == VALUE_SIMPLE_VALUE) {
                simple = in.readFloat();
            } else {
                skip(in, field);
            }
        }
        if (simple != null) {
            values.add(new TaggedValue(tag, simple));
        }
    }
}
