package io.dlstation.serve.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dlstation.error.DlstationException;
import java.io.IOException;
import java.util.Arrays;

/**
 * The seed-compatible {@code POST /predict} body: {@code {"data": [...]}} with one sample's values (flat
 * or nested, row-major), or an image (JPEG, PNG, BMP, GIF) prepared per the model's input; either way one
 * sample of the model's only input, as a tensor of shape {@code [1, ...]}.
 */
public final class PredictBody {
    private static final ObjectMapper JSON = new ObjectMapper(PooledJson.factory());

    private PredictBody() {}

    /**
     * The input tensor of the body.
     *
     * @param contentType the request's Content-Type (may be null)
     * @param input the model input the sample is for
     * @param maxImagePixels the most pixels an image may have; one with more is refused with
     *     {@link io.dlstation.error.ErrorCode#PAYLOAD_TOO_LARGE} before it is decoded
     */
    public static HostTensor decode(byte[] body, String contentType, InputSpec input, long maxImagePixels) {
        if (ImageInput.isImage(body, contentType)) {
            return ImageInput.decode(body, input, maxImagePixels);
        }
        long elements = HostTensor.elementCount(input.shape());
        TensorWriter writer = new TensorWriter(input.type(), elements, "data");
        boolean found = false;
        try (JsonParser p = JSON.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw DlstationException.badInput("the body must be a JSON object {\"data\": [...]} or an image "
                        + "(JPEG or PNG)");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (!field.equals("data")) {
                    p.skipChildren();
                    continue;
                }
                found = true;
                if (value != JsonToken.START_ARRAY) {
                    throw DlstationException.badInput("data must be an array of numbers");
                }
                read(p, writer, elements);
            }
        } catch (JsonProcessingException e) {
            throw InferRequestDecoder.notJson(e, "the request body", "send a JSON object {\"data\": [...]} or an image");
        } catch (IOException e) {
            throw DlstationException.badInput("the request body cannot be read");
        }
        if (!found) {
            throw DlstationException.badInput("data is missing: send {\"data\": [...]} with one sample of shape "
                    + Arrays.toString(input.shape()) + ", or an image");
        }
        long[] shape = new long[input.shape().length + 1];
        shape[0] = 1;
        System.arraycopy(input.shape(), 0, shape, 1, input.shape().length);
        return new HostTensor(input.name(), input.type(), shape, writer.finish());
    }

    private static void read(JsonParser p, TensorWriter writer, long elements) throws IOException {
        int depth = 1;
        while (depth > 0) {
            JsonToken t = p.nextToken();
            switch (t) {
                case START_ARRAY -> depth++;
                case END_ARRAY -> depth--;
                case VALUE_NUMBER_INT -> writer.writeLong(p.getLongValue());
                case VALUE_NUMBER_FLOAT -> writer.writeDouble(p.getDoubleValue());
                case VALUE_TRUE, VALUE_FALSE -> writer.writeBoolean(t == JsonToken.VALUE_TRUE);
                default -> throw DlstationException.badInput("data holds something other than numbers: " + p.getText());
            }
            if (writer.count() > elements) {
                throw DlstationException.badInput("data has more than " + elements + " values; the model takes one "
                        + "sample of " + elements);
            }
        }
        if (writer.count() != elements) {
            throw DlstationException.badInput("data has " + writer.count() + " values; the model takes one sample of "
                    + elements);
        }
    }
}
