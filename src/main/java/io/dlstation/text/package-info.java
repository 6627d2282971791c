/**
 * Text for the models that read it: Hugging Face tokenizers ({@code tokenizer.json}) through DJL's
 * binding of the Rust library, and token batches padded the way the models want them. Knows nothing of
 * the engine; shared by training and serving.
 */
package io.dlstation.text;
