/* The record keys of many record ids at once: the first 16 bytes of each id's HMAC-SHA-256.
 *
 * DuckDB's SQL sha256 is portable C: four SHA-256 blocks and a hex round trip per HMAC cost
 * the load as much as reading the files. Here OpenSSL (SHA-NI where the CPU has it) hashes
 * each id from the key's precomputed inner and outer states: two blocks per id, with the
 * GIL released so DuckDB's threads hash in parallel, and writes the key's bytes as they are,
 * no hex. pseudonym.py falls back to the SQL expression when this module is not built; tests
 * hold both to Python's hmac.
 */
#define PY_SSIZE_T_CLEAN
#define OPENSSL_SUPPRESS_DEPRECATED /* the one-block SHA256_* API is what makes this fast */
#include <Python.h>
#include <openssl/sha.h>
#include <stdint.h>
#include <string.h>

#define BLOCK 64
#define RECORD_KEY_LENGTH 16 /* the record key: the HMAC's first 128 bits */

static void key_states(const unsigned char *key, Py_ssize_t key_length, SHA256_CTX *inner,
                       SHA256_CTX *outer) {
    unsigned char padded[BLOCK] = {0};
    unsigned char pad[BLOCK];
    if (key_length > BLOCK) {
        SHA256(key, (size_t)key_length, padded);
    } else {
        memcpy(padded, key, (size_t)key_length);
    }
    for (int i = 0; i < BLOCK; i++) pad[i] = padded[i] ^ 0x36;
    SHA256_Init(inner);
    SHA256_Update(inner, pad, BLOCK);
    for (int i = 0; i < BLOCK; i++) pad[i] = padded[i] ^ 0x5c;
    SHA256_Init(outer);
    SHA256_Update(outer, pad, BLOCK);
}

static void hmac(const SHA256_CTX *inner_state, const SHA256_CTX *outer_state,
                 const unsigned char *message, size_t length, unsigned char *digest) {
    SHA256_CTX context = *inner_state;
    SHA256_Update(&context, message, length);
    SHA256_Final(digest, &context);
    context = *outer_state;
    SHA256_Update(&context, digest, SHA256_DIGEST_LENGTH);
    SHA256_Final(digest, &context);
}

/* record_keys(key, offsets, data, count) -> bytes
 * `offsets` (count + 1 little-endian int32) and `data` are an Arrow string array's buffers;
 * the result is the first 16 bytes of each string's HMAC, back to back. */
static PyObject *record_keys(PyObject *self, PyObject *args) {
    Py_buffer key, offsets, data;
    Py_ssize_t count;
    (void)self;
    if (!PyArg_ParseTuple(args, "y*y*y*n", &key, &offsets, &data, &count)) return NULL;
    PyObject *result = NULL;
    const int32_t *ends = (const int32_t *)offsets.buf;
    if (count < 0 || offsets.len < (Py_ssize_t)sizeof(int32_t) * (count + 1)) {
        PyErr_SetString(PyExc_ValueError, "offsets buffer shorter than count + 1 offsets");
        goto done;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        if (ends[i] < 0 || ends[i] > ends[i + 1] || ends[i + 1] > data.len) {
            PyErr_SetString(PyExc_ValueError, "offsets outside the data buffer");
            goto done;
        }
    }
    result = PyBytes_FromStringAndSize(NULL, count * RECORD_KEY_LENGTH);
    if (result == NULL) goto done;
    char *out = PyBytes_AS_STRING(result);
    const unsigned char *bytes = (const unsigned char *)data.buf;
    SHA256_CTX inner, outer;
    key_states((const unsigned char *)key.buf, key.len, &inner, &outer);
    Py_BEGIN_ALLOW_THREADS
    unsigned char digest[SHA256_DIGEST_LENGTH];
    for (Py_ssize_t i = 0; i < count; i++) {
        hmac(&inner, &outer, bytes + ends[i], (size_t)(ends[i + 1] - ends[i]), digest);
        memcpy(out + i * RECORD_KEY_LENGTH, digest, RECORD_KEY_LENGTH);
    }
    Py_END_ALLOW_THREADS
done:
    PyBuffer_Release(&key);
    PyBuffer_Release(&offsets);
    PyBuffer_Release(&data);
    return result;
}

static PyMethodDef methods[] = {
    {"record_keys", record_keys, METH_VARARGS,
     "First 16 bytes of the HMAC-SHA-256 under a key of each string of an Arrow string "
     "array's buffers, back to back."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_hmac_sha256", NULL, -1, methods};

PyMODINIT_FUNC PyInit__hmac_sha256(void) { return PyModule_Create(&module); }
