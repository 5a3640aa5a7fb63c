/* classify_int.h — private to src/classify/: helpers shared by the scorer,
 * the trainer and the model reader. */
#ifndef NP_CLASSIFY_INT_H
#define NP_CLASSIFY_INT_H
#include "classify/classify.h"

/* Raw class scores z[0..m->n_out) of canonical text (no allocation). */
void classify_logits(const classify_model *m, const char *text, size_t len, float *z);
/* Turns logits into probabilities over n_labels classes. */
void classify_probs_from_logits(unsigned kind, uint32_t n_labels, const float *z, float *probs);
/* Allocates an empty model with copies of labels and zeroed weights. */
int classify_model_new(const np_allocator *a, const classify_spec *sp, unsigned kind,
                       unsigned weight_bits, char *const *labels, uint32_t n_labels,
                       classify_model **out);
/* Extracts the string "text" and the label field (string, integer or
 * boolean, as text) of one JSON object line into text and label, validating
 * the whole line.  Returns 0, or -1 when the line is invalid or unusual in a
 * way the caller should hand to jansson (which also words the error). */
int classify_json_fields(const char *line, size_t n, const char *label_field, util_buf *text,
                         util_buf *label);
#endif
