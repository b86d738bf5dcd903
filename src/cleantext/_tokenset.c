/* cleantext._tokenset: whole-token look-ups over a space-separated byte view, in one pass.
 *
 * Why this exists: the glossary matcher and the unknown-word figure both ask, for every
 * token of a long text, "is this token in a big set of words?". In Python that costs a
 * string object and a hash per token (about 40 MB/s); an Aho-Corasick automaton over
 * 10,000 to 100,000 keys walks every byte and reports hits inside words (about 80 MB/s).
 * Hashing each token in place, with no object made, runs at several hundred MB/s. No
 * library on PyPI does this (polars' regex extraction alone measured 63 MB/s here), so it
 * is written out; cleantext falls back to ahocorasick-rs and plain sets when this module
 * was not compiled, and the tests hold both paths to the same answers.
 *
 * A token is a maximal run of bytes other than the space (0x20): the callers' views map
 * every other separator to a space first. The GIL is released while scanning, so a
 * writer thread in the same process keeps going.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* Eight bytes at a time where the compiler and byte order allow it, else byte by byte:
 * both give the same answers, the first about twice as fast. */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define WORDWISE 1
#else
#define WORDWISE 0
#endif

/* One slot of the open-addressing table: 16 bytes, four to a cache line. */
typedef struct {
    uint64_t hash;
    uint32_t start; /* the word is bytes[start : start + length]; EMPTY for a free slot */
    uint32_t length;
} Slot;

#define EMPTY UINT32_MAX

/* Words of 1 to 7 bytes, the first SHORT of them given (callers pass the most frequent
 * first), also sit in a compact table whose key is the word itself: 8 bytes a slot, so it
 * stays in a core's cache (most tokens of running text are short, common words), and a
 * probe compares one number. A probe into the full table (16 MB for wordfreq's 289,000
 * a-z words) misses the cache. When every short word fits, a miss there is final. */
#define SHORT 16384
#define SHORT_LONGEST 7

typedef struct {
    PyObject_HEAD
    Py_ssize_t count;       /* distinct words held */
    char *bytes;            /* every word, concatenated, then 8 bytes of padding */
    Slot *slots;            /* a power of two of them, at least 1.5 times count */
    uint32_t *indexes;      /* per slot: the word's position in the sequence it came from */
    size_t mask;            /* slots - 1 */
    uint64_t *short_keys;   /* the word's bytes, its length in the top byte; 0 when free */
    uint32_t *short_slots;  /* per short slot: the word's slot in the full table */
    size_t short_mask;      /* short slots - 1 */
    int short_shift;        /* 64 - log2(short slots) */
    int short_complete;     /* every short word is in the short table */
    Py_buffer view;         /* for a set loaded from a dump: the memory the tables are in */
} TokenSet;

/* The first k (1 to 8) bytes at p as a number; ``end`` bounds what may be read. */
static inline uint64_t chunk(const unsigned char *p, Py_ssize_t k, const unsigned char *end) {
    uint64_t w = 0;
#if WORDWISE
    if (p + 8 <= end) {
        memcpy(&w, p, 8);
        return k == 8 ? w : w & ((1ULL << (8 * k)) - 1);
    }
#endif
    (void)end;
    for (Py_ssize_t i = 0; i < k; i++) {
        w |= (uint64_t)p[i] << (8 * i);
    }
    return w;
}

/* murmur3's finaliser: a bijection, so two tokens of up to 8 bytes with the same length
 * and hash are the same token, and no bytes need comparing. */
static inline uint64_t mix(uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

static inline uint64_t hash_bytes(const unsigned char *p, Py_ssize_t n, const unsigned char *end) {
    if (n <= 8) {
        return mix(n ? chunk(p, n, end) : 0);
    }
    uint64_t h = (uint64_t)n;
    for (; n > 0; p += 8, n -= 8) {
        h = mix(h ^ chunk(p, n < 8 ? n : 8, end)) + 0x9E3779B97F4A7C15ULL;
    }
    return h;
}

static inline int same(const char *word, const unsigned char *p, Py_ssize_t n) {
    return memcmp(word, p, (size_t)n) == 0;
}

/* Where a token with hash ``h`` sits in ``table`` (``mask`` + 1 slots), or -1. */
static inline Py_ssize_t probe(const Slot *table, size_t mask, const char *bytes, uint64_t h,
                               const unsigned char *p, Py_ssize_t n) {
    size_t slot = (size_t)h & mask;
    for (;;) {
        const Slot *at = &table[slot];
        if (at->start == EMPTY) {
            return -1;
        }
        if (at->hash == h && (Py_ssize_t)at->length == n &&
            (n <= 8 || same(bytes + at->start, p, n))) {
            return (Py_ssize_t)slot;
        }
        slot = (slot + 1) & mask;
    }
}

/* A token on its way to a look-up. Tokens are found and hashed a batch at a time and the
 * slot each will probe is prefetched, so that the cache misses of a batch overlap instead
 * of queueing one after the other. */
typedef struct {
    Py_ssize_t start;
    Py_ssize_t len;
    uint64_t word; /* a short token's bytes */
    uint64_t hash; /* hash_bytes of a long token (a short one is looked up by its word) */
} Pending;

#define BATCH 16

/* A short word's slot in the short table: one multiplication (Fibonacci hashing), its
 * top bits, the ones every byte of the word reaches. */
static inline size_t short_at(const TokenSet *set, uint64_t word) {
    return (size_t)((word * 0x9E3779B97F4A7C15ULL) >> set->short_shift);
}

static inline void pending_set(const TokenSet *set, Pending *q, const unsigned char *text,
                               Py_ssize_t start, Py_ssize_t len, const unsigned char *end) {
    q->start = start;
    q->len = len;
    if (len >= 1 && len <= SHORT_LONGEST) {
        q->word = chunk(text + start, len, end);
        q->hash = 0; /* mix(word), made only if the full table is needed */
        __builtin_prefetch(&set->short_keys[short_at(set, q->word)]);
    } else {
        q->word = 0;
        q->hash = hash_bytes(text + start, len, end);
        __builtin_prefetch(&set->slots[q->hash & set->mask]);
    }
}

/* The full table's slot holding the token, or -1 when the set lacks it; with ``slot``
 * 0 only whether it is held (>= 0) or not, with no read of the slot maps. */
static inline Py_ssize_t lookup(const TokenSet *set, const unsigned char *text,
                                const Pending *q, int slot) {
    Py_ssize_t n = q->len;
    if (n >= 1 && n <= SHORT_LONGEST) {
        uint64_t key = q->word | ((uint64_t)n << 56);
        size_t at = short_at(set, q->word);
        for (;;) {
            uint64_t held = set->short_keys[at];
            if (held == key) {
                return slot ? (Py_ssize_t)set->short_slots[at] : 0;
            }
            if (held == 0) {
                break;
            }
            at = (at + 1) & set->short_mask;
        }
        if (set->short_complete) {
            return -1;
        }
        return probe(set->slots, set->mask, set->bytes, mix(q->word), text + q->start, n);
    }
    return probe(set->slots, set->mask, set->bytes, q->hash, text + q->start, n);
}

static size_t place(Slot *table, size_t mask, uint64_t h, Py_ssize_t start, Py_ssize_t len) {
    size_t slot = (size_t)h & mask;
    while (table[slot].start != EMPTY) {
        slot = (slot + 1) & mask;
    }
    table[slot].hash = h;
    table[slot].start = (uint32_t)start;
    table[slot].length = (uint32_t)len;
    return slot;
}

static void TokenSet_dealloc(TokenSet *self) {
    if (self->view.obj != NULL) { /* loaded: the tables belong to the buffer */
        PyBuffer_Release(&self->view);
        Py_TYPE(self)->tp_free((PyObject *)self);
        return;
    }
    PyMem_Free(self->bytes);
    PyMem_Free(self->slots);
    PyMem_Free(self->indexes);
    PyMem_Free(self->short_keys);
    PyMem_Free(self->short_slots);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static Slot *empty_table(size_t size) {
    Slot *table = PyMem_Malloc(size * sizeof(Slot));
    if (table != NULL) {
        for (size_t s = 0; s < size; s++) {
            table[s].hash = 0;
            table[s].start = EMPTY;
            table[s].length = 0;
        }
    }
    return table;
}

static int TokenSet_init(TokenSet *self, PyObject *args, PyObject *kwds) {
    static char *keywords[] = {"words", NULL};
    PyObject *words = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O:TokenSet", keywords, &words)) {
        return -1;
    }
    if (self->slots != NULL) {
        PyErr_SetString(PyExc_TypeError, "TokenSet is built once");
        return -1;
    }
    PyObject *seq = PySequence_Fast(words, "words must be a sequence of bytes");
    if (seq == NULL) {
        return -1;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject **items = PySequence_Fast_ITEMS(seq);
    Py_ssize_t total = 0;
    Py_ssize_t shorts = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!PyBytes_Check(items[i])) {
            PyErr_Format(PyExc_TypeError, "word %zd is not bytes", i);
            Py_DECREF(seq);
            return -1;
        }
        Py_ssize_t len = PyBytes_GET_SIZE(items[i]);
        total += len;
        shorts += len >= 1 && len <= SHORT_LONGEST;
    }
    if (total >= (Py_ssize_t)EMPTY - 8 || n >= (Py_ssize_t)(EMPTY / 4)) {
        PyErr_SetString(PyExc_OverflowError, "too many words for a TokenSet");
        Py_DECREF(seq);
        return -1;
    }
    size_t size = 16;
    while (size < (size_t)n + (size_t)n / 2 + 1) { /* at most two thirds full */
        size <<= 1;
    }
    size_t short_size = 16;
    while (short_size < (size_t)(shorts < SHORT ? shorts : SHORT) * 2 + 1) {
        short_size <<= 1;
    }
    self->bytes = PyMem_Calloc((size_t)total + 8, 1);
    self->slots = empty_table(size);
    /* zeroed, free slots' too: a set's dump is then the same bytes every time */
    self->indexes = PyMem_Calloc(size, sizeof(uint32_t));
    self->short_keys = PyMem_Calloc(short_size, sizeof(uint64_t));
    self->short_slots = PyMem_Calloc(short_size, sizeof(uint32_t));
    self->short_mask = short_size - 1;
    self->short_shift = 64 - __builtin_ctzll((unsigned long long)short_size);
    self->short_complete = 1;
    Py_ssize_t short_held = 0;
    if (!self->bytes || !self->slots || !self->indexes || !self->short_keys ||
        !self->short_slots) {
        Py_DECREF(seq);
        PyErr_NoMemory();
        return -1;
    }
    self->mask = size - 1;
    const unsigned char *stored = (const unsigned char *)self->bytes;
    Py_ssize_t offset = 0;
    Py_ssize_t held = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        const unsigned char *p = (const unsigned char *)PyBytes_AS_STRING(items[i]);
        Py_ssize_t len = PyBytes_GET_SIZE(items[i]);
        memcpy(self->bytes + offset, p, (size_t)len);
        /* hashed where it is stored, so the padding makes every read a whole word */
        uint64_t h = hash_bytes(stored + offset, len, stored + total + 8);
        if (probe(self->slots, self->mask, self->bytes, h, stored + offset, len) >= 0) {
            continue; /* a repeated word keeps its first index */
        }
        size_t slot = place(self->slots, self->mask, h, offset, len);
        self->indexes[slot] = (uint32_t)i;
        if (len >= 1 && len <= SHORT_LONGEST && short_held == SHORT) {
            self->short_complete = 0; /* a miss in the short table is not final */
        } else if (len >= 1 && len <= SHORT_LONGEST) {
            uint64_t key = chunk(stored + offset, len, stored + total + 8) | ((uint64_t)len << 56);
            size_t at = short_at(self, key & ~(0xFFULL << 56));
            while (self->short_keys[at] != 0) {
                at = (at + 1) & self->short_mask;
            }
            self->short_keys[at] = key;
            self->short_slots[at] = (uint32_t)slot;
            short_held++;
        }
        offset += len;
        held++;
    }
    memset(self->bytes + offset, 0, (size_t)(total + 8 - offset));
    self->count = held;
    Py_DECREF(seq);
    return 0;
}

static int ready(TokenSet *self) {
    if (self->slots == NULL) {
        PyErr_SetString(PyExc_ValueError, "TokenSet was not initialised");
        return 0;
    }
    return 1;
}

/* ---- Bit masks over a text: bit i of mask[i / 64] says something of byte i. ----
 *
 * Tokens are found from masks rather than byte by byte: a byte loop takes a mispredicted
 * branch at nearly every token's end (about 18 ns a token here), while masks for 64 bytes
 * at a time are a few vector instructions, and a token's start and end are a count of
 * trailing zeros. */

enum { SPACED, VIEW }; /* what the masks describe: a space-separated view, or stats' view */

typedef struct {
    Py_ssize_t blocks; /* 64-byte blocks, the last one partial */
    uint64_t *word;    /* a token byte: not a space (SPACED); a word character (VIEW) */
    uint64_t *mixed;   /* VIEW: a word character other than a-z (a capital, a digit, _) */
    uint64_t *letter;  /* VIEW: a letter (a-z, A-Z or any byte of a non-ASCII character) */
    uint64_t *apos;    /* VIEW: a straight apostrophe */
} Masks;

/* Byte classes of stats.py's byte view (UTF-8 in which every non-ASCII character is a
 * letter, apostrophes straight): what its two translate tables, _WORDS and _TOKENS, say. */
enum { OTHER, LOWER, CAPITAL, DIGIT, APOSTROPHE };

static unsigned char byte_class[256];

static void classes_init(void) {
    for (int b = 0; b < 256; b++) {
        unsigned char c = OTHER;
        if (b >= 'a' && b <= 'z') {
            c = LOWER;
        } else if ((b >= 'A' && b <= 'Z') || b >= 0x80) {
            c = CAPITAL; /* a letter that is not a-z: a capital or a piece of one */
        } else if ((b >= '0' && b <= '9') || b == '_') {
            c = DIGIT; /* a word character that is not a letter */
        } else if (b == '\'') {
            c = APOSTROPHE;
        }
        byte_class[b] = c;
    }
}

/* One block's masks, byte by byte: for the last, partial block and where there is no SSE2. */
static void block_scalar(const unsigned char *p, Py_ssize_t len, int kind, Masks *m, Py_ssize_t k) {
    uint64_t word = 0, mixed = 0, letter = 0, apos = 0;
    for (Py_ssize_t i = 0; i < len; i++) {
        uint64_t bit = 1ULL << i;
        if (kind == SPACED) {
            word |= p[i] != ' ' ? bit : 0;
            continue;
        }
        unsigned char c = byte_class[p[i]];
        word |= (c == LOWER || c == CAPITAL || c == DIGIT) ? bit : 0;
        mixed |= (c == CAPITAL || c == DIGIT) ? bit : 0;
        letter |= (c == LOWER || c == CAPITAL) ? bit : 0;
        apos |= c == APOSTROPHE ? bit : 0;
    }
    m->word[k] = word;
    if (kind == VIEW) {
        m->mixed[k] = mixed;
        m->letter[k] = letter;
        m->apos[k] = apos;
    }
}

#if defined(__SSE2__)
#include <emmintrin.h>

/* 0xFF where lo <= byte <= hi (unsigned), else 0. */
static inline __m128i in_range(__m128i v, unsigned char lo, unsigned char hi) {
    __m128i t = _mm_sub_epi8(v, _mm_set1_epi8((char)lo));
    return _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8((char)(hi - lo))), t);
}

static inline uint64_t bits16(__m128i v, int part) {
    return (uint64_t)(unsigned)_mm_movemask_epi8(v) << (16 * part);
}

static void block_sse2(const unsigned char *p, int kind, Masks *m, Py_ssize_t k) {
    uint64_t word = 0, mixed = 0, letter = 0, apos = 0;
    for (int part = 0; part < 4; part++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * part));
        if (kind == SPACED) {
            word |= bits16(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), part);
            continue;
        }
        __m128i lower = in_range(v, 'a', 'z');
        __m128i high = _mm_cmplt_epi8(v, _mm_setzero_si128()); /* bytes >= 0x80 */
        __m128i capital = _mm_or_si128(in_range(v, 'A', 'Z'), high);
        __m128i digit = _mm_or_si128(in_range(v, '0', '9'), _mm_cmpeq_epi8(v, _mm_set1_epi8('_')));
        __m128i other = _mm_or_si128(capital, digit);
        word |= bits16(_mm_or_si128(lower, other), part);
        mixed |= bits16(other, part);
        letter |= bits16(_mm_or_si128(lower, capital), part);
        apos |= bits16(_mm_cmpeq_epi8(v, _mm_set1_epi8('\'')), part);
    }
    m->word[k] = kind == SPACED ? ~word : word;
    if (kind == VIEW) {
        m->mixed[k] = mixed;
        m->letter[k] = letter;
        m->apos[k] = apos;
    }
}
#endif

/* Leaves ``m`` empty (no blocks), so that a run over it after a failed masks_make ends at
 * once instead of reading freed memory. */
static void masks_free(Masks *m) {
    free(m->word);
    free(m->mixed);
    free(m->letter);
    free(m->apos);
    m->blocks = 0;
    m->word = m->mixed = m->letter = m->apos = NULL;
}

/* Called without the GIL: plain malloc. Returns 0 when out of memory. */
static int masks_make(const unsigned char *text, Py_ssize_t n, int kind, Masks *m) {
    Py_ssize_t blocks = n / 64 + 1;
    size_t bytes = (size_t)blocks * sizeof(uint64_t);
    m->blocks = blocks;
    m->word = malloc(bytes);
    m->mixed = kind == VIEW ? malloc(bytes) : NULL;
    m->letter = kind == VIEW ? malloc(bytes) : NULL;
    m->apos = kind == VIEW ? malloc(bytes) : NULL;
    if (!m->word || (kind == VIEW && (!m->mixed || !m->letter || !m->apos))) {
        masks_free(m);
        return 0;
    }
    Py_ssize_t k = 0;
#if defined(__SSE2__)
    for (; (k + 1) * 64 <= n; k++) {
        block_sse2(text + k * 64, kind, m, k);
    }
#endif
    for (; k < blocks; k++) {
        Py_ssize_t len = n - k * 64 < 64 ? n - k * 64 : 64;
        block_scalar(text + k * 64, len, kind, m, k);
    }
    return 1;
}

/* Where the run of set bits that holds bit ``p`` ends (bits past the text are clear). */
static inline Py_ssize_t run_end(const uint64_t *word, Py_ssize_t blocks, Py_ssize_t p) {
    Py_ssize_t k = p >> 6;
    uint64_t gaps = ~word[k] >> (p & 63);
    if (gaps) {
        return p + __builtin_ctzll(gaps);
    }
    for (k++; k < blocks; k++) {
        if (~word[k]) {
            return k * 64 + __builtin_ctzll(~word[k]);
        }
    }
    return blocks * 64;
}

/* Whether any bit in [start, end) is set. */
static inline int any_bit(const uint64_t *mask, Py_ssize_t start, Py_ssize_t end) {
    if (end - start < 64 && (end - 1) >> 6 == start >> 6) { /* nearly every token */
        return ((mask[start >> 6] >> (start & 63)) & ((1ULL << (end - start)) - 1)) != 0;
    }
    for (Py_ssize_t k = start >> 6; k * 64 < end; k++) {
        uint64_t bits = mask[k];
        if (k == start >> 6) {
            bits &= ~0ULL << (start & 63);
        }
        if ((k + 1) * 64 > end) {
            bits &= (end & 63) ? ~0ULL >> (64 - (end & 63)) : 0;
        }
        if (bits) {
            return 1;
        }
    }
    return 0;
}

/* The bits of block k that start a run: set, with the bit before clear. */
static inline uint64_t run_starts(const uint64_t *word, Py_ssize_t k) {
    uint64_t before = (word[k] << 1) | (k > 0 ? word[k - 1] >> 63 : 0);
    return word[k] & ~before;
}

/* The runs of set bits of a mask, one after the other. */
typedef struct {
    const Masks *masks;
    Py_ssize_t block;
    uint64_t starts; /* the block's run starts not yet given */
} Runs;

static inline Runs runs_begin(const Masks *m) {
    Runs runs = {m, 0, m->blocks > 0 ? run_starts(m->word, 0) : 0};
    return runs;
}

/* The next run as [start, stop); 0 when there are no more. */
static inline int runs_next(Runs *r, Py_ssize_t *start, Py_ssize_t *stop) {
    while (!r->starts) {
        if (++r->block >= r->masks->blocks) {
            return 0;
        }
        r->starts = run_starts(r->masks->word, r->block);
    }
    *start = r->block * 64 + __builtin_ctzll(r->starts);
    r->starts &= r->starts - 1;
    *stop = run_end(r->masks->word, r->masks->blocks, *start);
    return 1;
}

/* stats._word_count_bytes: a word starts at a letter after a non-letter that is not an
 * apostrophe, or after an apostrophe that does not follow a letter. */
static Py_ssize_t count_words(const Masks *m) {
    Py_ssize_t words = 0;
    uint64_t letter_carry = 0, apos_carry = 0; /* the previous block's top bits */
    for (Py_ssize_t k = 0; k < m->blocks; k++) {
        uint64_t letter = m->letter[k], apos = m->apos[k];
        uint64_t letter1 = (letter << 1) | (letter_carry >> 63);
        uint64_t letter2 = (letter << 2) | (letter_carry >> 62);
        uint64_t apos1 = (apos << 1) | (apos_carry >> 63);
        words += __builtin_popcountll(letter & ~letter1 & ~(apos1 & letter2));
        letter_carry = letter;
        apos_carry = apos;
    }
    return words;
}

typedef struct {
    Py_ssize_t *data; /* (index, start, end) triples */
    Py_ssize_t used;  /* triples held */
    Py_ssize_t room;
} Found;

static int found_add(Found *found, Py_ssize_t index, Py_ssize_t start, Py_ssize_t end) {
    if (found->used == found->room) {
        Py_ssize_t room = found->room ? found->room * 2 : 256;
        Py_ssize_t *data = realloc(found->data, (size_t)room * 3 * sizeof(Py_ssize_t));
        if (data == NULL) {
            return 0;
        }
        found->data = data;
        found->room = room;
    }
    Py_ssize_t *at = found->data + found->used * 3;
    at[0] = index;
    at[1] = start;
    at[2] = end;
    found->used++;
    return 1;
}

/* A built set and the text's bytes, or 0 with the exception set. */
static int scan_begin(TokenSet *self, PyObject *arg, Py_buffer *view) {
    return ready(self) && PyObject_GetBuffer(arg, view, PyBUF_SIMPLE) == 0;
}

PyDoc_STRVAR(find_doc,
             "find(text, /)\n--\n\n"
             "Every token of ``text`` (a run of bytes other than the space) that the set "
             "holds and that has a space on both sides, as (index, start, end): the word's "
             "index in the sequence the set was built from, and the span of the token with "
             "those two spaces, in text order (what an Aho-Corasick matcher over the words "
             "padded with spaces reports).");

static PyObject *TokenSet_find(TokenSet *self, PyObject *arg) {
    Py_buffer view;
    if (!scan_begin(self, arg, &view)) {
        return NULL;
    }
    const unsigned char *text = view.buf;
    const unsigned char *end = text + view.len;
    Py_ssize_t n = view.len;
    Found found = {NULL, 0, 0};
    Masks m = {0, NULL, NULL, NULL, NULL};
    int failed = 0;
    Py_BEGIN_ALLOW_THREADS
    if (!masks_make(text, n, SPACED, &m)) {
        failed = 1;
    }
    Runs runs = runs_begin(&m);
    Pending batch[BATCH];
    Py_ssize_t start, stop;
    for (int more = !failed; more && !failed;) {
        int pending = 0;
        while (pending < BATCH && (more = runs_next(&runs, &start, &stop))) {
            /* a token with a space before and after it: not at either edge of the text */
            if (start > 0 && stop < n) {
                pending_set(self, &batch[pending++], text, start, stop - start, end);
            }
        }
        for (int b = 0; b < pending && !failed; b++) {
            Py_ssize_t slot = lookup(self, text, &batch[b], 1);
            Py_ssize_t at = batch[b].start, len = batch[b].len;
            failed = slot >= 0 && !found_add(&found, (Py_ssize_t)self->indexes[slot], at - 1,
                                                at + len + 1);
        }
    }
    masks_free(&m);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    if (failed) {
        free(found.data);
        return PyErr_NoMemory();
    }
    PyObject *out = PyList_New(found.used);
    if (out == NULL) {
        free(found.data);
        return NULL;
    }
    for (Py_ssize_t k = 0; k < found.used; k++) {
        Py_ssize_t *at = found.data + k * 3;
        PyObject *triple = Py_BuildValue("(nnn)", at[0], at[1], at[2]);
        if (triple == NULL) {
            Py_DECREF(out);
            free(found.data);
            return NULL;
        }
        PyList_SET_ITEM(out, k, triple);
    }
    free(found.data);
    return out;
}

PyDoc_STRVAR(figures_doc,
             "figures(plain, /)\n--\n\n"
             "(words, tokens, unknown) of stats.py's byte view in one pass: the word count "
             "(letters, an apostrophe between two letters joining them), and how many "
             "runs of word characters are all a-z and how many of those the set lacks.");

static PyObject *TokenSet_figures(TokenSet *self, PyObject *arg) {
    Py_buffer view;
    if (!scan_begin(self, arg, &view)) {
        return NULL;
    }
    const unsigned char *text = view.buf;
    const unsigned char *end = text + view.len;
    Py_ssize_t n = view.len;
    Py_ssize_t words = 0;
    Py_ssize_t tokens = 0;
    Py_ssize_t unknown = 0;
    Masks m = {0, NULL, NULL, NULL, NULL};
    int failed = 0;
    Py_BEGIN_ALLOW_THREADS
    if (!masks_make(text, n, VIEW, &m)) {
        failed = 1;
    } else {
        words = count_words(&m);
    }
    Runs runs = runs_begin(&m);
    Pending batch[BATCH];
    Py_ssize_t start, stop;
    for (int more = !failed; more;) {
        int pending = 0;
        while (pending < BATCH && (more = runs_next(&runs, &start, &stop))) {
            /* a capital or a digit in the run: not counted (names are rightly unknown) */
            if (!any_bit(m.mixed, start, stop)) {
                pending_set(self, &batch[pending++], text, start, stop - start, end);
            }
        }
        tokens += pending;
        for (int b = 0; b < pending; b++) {
            unknown += lookup(self, text, &batch[b], 0) < 0;
        }
    }
    masks_free(&m);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    if (failed) {
        return PyErr_NoMemory();
    }
    return Py_BuildValue("(nnn)", words, tokens, unknown);
}

/* ---- A set's tables as one block of bytes, and back without copying. ----
 *
 * Why: building the lexicon's set (289,000 words) takes 0.09 s a process, every run, and
 * each worker of a run held its own 13 MB of tables. A dump written once to a cache file
 * and mapped into memory costs a page-in, and the processes that map it share the pages.
 *
 * Layout, native byte order (the header says which): a header of 10 numbers of 8 bytes,
 * then the word bytes, the slots, the indexes, the short keys and the short slots, each
 * starting at a multiple of 64 bytes. Loading checks every number a look-up could follow
 * out of bounds, and a checksum of everything after the header, so a damaged or foreign
 * file is refused (ValueError) rather than read. */

#define DUMP_MAGIC 0x5445534E454B4F54ULL /* "TOKENSET" */
#define DUMP_VERSION 1ULL
#define DUMP_ORDER 0x0102030405060708ULL
#define DUMP_HEADER 80
enum { H_MAGIC, H_VERSION, H_ORDER, H_COUNT, H_BYTES, H_SLOTS, H_SHORTS, H_COMPLETE, H_SUM,
       H_SIZE };

static size_t up64(size_t n) { return (n + 63) & ~(size_t)63; }

typedef struct {
    size_t bytes, slots, indexes, short_keys, short_slots, end;
} Sections;

/* Where each array starts, or 0 in ``end`` when the sizes overflow. */
static Sections sections(uint64_t nbytes, uint64_t nslots, uint64_t nshort) {
    Sections at = {0, 0, 0, 0, 0, 0};
    if (nbytes > UINT32_MAX || nslots > ((uint64_t)1 << 31) || nshort > ((uint64_t)1 << 31)) {
        return at;
    }
    at.bytes = up64(DUMP_HEADER);
    at.slots = up64(at.bytes + (size_t)nbytes);
    at.indexes = up64(at.slots + (size_t)nslots * sizeof(Slot));
    at.short_keys = up64(at.indexes + (size_t)nslots * sizeof(uint32_t));
    at.short_slots = up64(at.short_keys + (size_t)nshort * sizeof(uint64_t));
    at.end = up64(at.short_slots + (size_t)nshort * sizeof(uint32_t));
    return at;
}

/* A checksum of the dump after its header, eight bytes at a time (the sections are
 * padded to 64 bytes, so the length is a multiple of 8). */
static uint64_t dump_sum(const unsigned char *p, size_t n) {
    uint64_t h = 0x243F6A8885A308D3ULL ^ (uint64_t)n;
    for (size_t i = 0; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0x100000001B3ULL;
        h ^= h >> 29;
    }
    return mix(h);
}

PyDoc_STRVAR(dump_doc,
             "dump() -> bytes\n--\n\n"
             "The set's tables as one block of bytes, for TokenSet.load.");

static PyObject *TokenSet_dump(TokenSet *self, PyObject *Py_UNUSED(ignored)) {
    if (!ready(self)) {
        return NULL;
    }
    uint64_t nslots = (uint64_t)self->mask + 1, nshort = (uint64_t)self->short_mask + 1;
    uint64_t nbytes = 8;
    for (size_t s = 0; s < nslots; s++) { /* the words end where the last one ends */
        if (self->slots[s].start != EMPTY) {
            uint64_t end = (uint64_t)self->slots[s].start + self->slots[s].length + 8;
            nbytes = end > nbytes ? end : nbytes;
        }
    }
    Sections at = sections(nbytes, nslots, nshort);
    if (at.end == 0) {
        PyErr_SetString(PyExc_OverflowError, "TokenSet too large to dump");
        return NULL;
    }
    PyObject *out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)at.end);
    if (out == NULL) {
        return NULL;
    }
    unsigned char *base = (unsigned char *)PyBytes_AS_STRING(out);
    memset(base, 0, at.end);
    memcpy(base + at.bytes, self->bytes, (size_t)nbytes);
    memcpy(base + at.slots, self->slots, (size_t)nslots * sizeof(Slot));
    memcpy(base + at.indexes, self->indexes, (size_t)nslots * sizeof(uint32_t));
    memcpy(base + at.short_keys, self->short_keys, (size_t)nshort * sizeof(uint64_t));
    memcpy(base + at.short_slots, self->short_slots, (size_t)nshort * sizeof(uint32_t));
    uint64_t header[H_SIZE] = {DUMP_MAGIC, DUMP_VERSION, DUMP_ORDER, (uint64_t)self->count,
                               nbytes, nslots, nshort, (uint64_t)self->short_complete, 0, 0};
    header[H_SUM] = dump_sum(base + DUMP_HEADER, at.end - DUMP_HEADER);
    memcpy(base, header, sizeof(header));
    return out;
}

static int is_power_of_two(uint64_t n) { return n >= 16 && (n & (n - 1)) == 0; }

/* Every check a look-up relies on; the reason as a message, or NULL when the dump holds. */
static const char *dump_fault(const unsigned char *base, size_t len, const uint64_t *h,
                              Sections *at) {
    if (len < DUMP_HEADER || h[H_MAGIC] != DUMP_MAGIC) {
        return "not a TokenSet dump";
    }
    if (h[H_VERSION] != DUMP_VERSION || h[H_ORDER] != DUMP_ORDER) {
        return "a TokenSet dump of another version or byte order";
    }
    if (!is_power_of_two(h[H_SLOTS]) || !is_power_of_two(h[H_SHORTS]) || h[H_BYTES] < 8 ||
        h[H_COUNT] >= h[H_SLOTS] || h[H_COMPLETE] > 1) {
        return "a TokenSet dump with impossible sizes";
    }
    *at = sections(h[H_BYTES], h[H_SLOTS], h[H_SHORTS]);
    if (at->end == 0 || at->end != len) {
        return "a TokenSet dump of the wrong length";
    }
    if (dump_sum(base + DUMP_HEADER, len - DUMP_HEADER) != h[H_SUM]) {
        return "a damaged TokenSet dump (checksum)";
    }
    const Slot *slots = (const Slot *)(base + at->slots);
    uint64_t held = 0;
    for (uint64_t s = 0; s < h[H_SLOTS]; s++) {
        if (slots[s].start != EMPTY) {
            if ((uint64_t)slots[s].start + slots[s].length + 8 > h[H_BYTES]) {
                return "a TokenSet dump with a word out of bounds";
            }
            held++;
        }
    }
    if (held != h[H_COUNT]) {
        return "a TokenSet dump whose count does not match its slots";
    }
    const uint64_t *keys = (const uint64_t *)(base + at->short_keys);
    const uint32_t *short_slots = (const uint32_t *)(base + at->short_slots);
    uint64_t free_short = 0;
    for (uint64_t s = 0; s < h[H_SHORTS]; s++) {
        if (keys[s] == 0) {
            free_short++;
        } else if (short_slots[s] >= h[H_SLOTS] || slots[short_slots[s]].start == EMPTY) {
            return "a TokenSet dump with a short word out of bounds";
        }
    }
    if (free_short == 0) { /* a probe for an absent word would never end */
        return "a TokenSet dump with a full short table";
    }
    if (held == h[H_SLOTS]) {
        return "a TokenSet dump with a full table";
    }
    return NULL;
}

PyDoc_STRVAR(load_doc,
             "load(buffer) -> TokenSet\n--\n\n"
             "The set a dump holds, its tables read in place from the buffer (an mmap, say), "
             "which stays exported for the set's life. ValueError if the dump is damaged "
             "or foreign.");

static PyObject *TokenSet_load(PyTypeObject *type, PyObject *source) {
    TokenSet *self = (TokenSet *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    if (PyObject_GetBuffer(source, &self->view, PyBUF_SIMPLE) < 0) {
        Py_DECREF(self);
        return NULL;
    }
    const unsigned char *base = (const unsigned char *)self->view.buf;
    size_t len = (size_t)self->view.len;
    uint64_t h[H_SIZE] = {0};
    if (len >= DUMP_HEADER) {
        memcpy(h, base, sizeof(h));
    }
    Sections at;
    const char *fault = ((uintptr_t)base % 8) ? "a TokenSet dump not aligned to 8 bytes"
                                              : dump_fault(base, len, h, &at);
    if (fault != NULL) {
        PyErr_SetString(PyExc_ValueError, fault);
        Py_DECREF(self); /* releases the buffer */
        return NULL;
    }
    /* read only, never written: the casts drop const for the shared struct's fields */
    self->count = (Py_ssize_t)h[H_COUNT];
    self->bytes = (char *)(base + at.bytes);
    self->slots = (Slot *)(base + at.slots);
    self->indexes = (uint32_t *)(base + at.indexes);
    self->mask = (size_t)h[H_SLOTS] - 1;
    self->short_keys = (uint64_t *)(base + at.short_keys);
    self->short_slots = (uint32_t *)(base + at.short_slots);
    self->short_mask = (size_t)h[H_SHORTS] - 1;
    self->short_shift = 64 - __builtin_ctzll((unsigned long long)h[H_SHORTS]);
    self->short_complete = (int)h[H_COMPLETE];
    return (PyObject *)self;
}

static Py_ssize_t TokenSet_len(TokenSet *self) { return self->count; }

static PyMethodDef TokenSet_methods[] = {
    {"find", (PyCFunction)TokenSet_find, METH_O, find_doc},
    {"figures", (PyCFunction)TokenSet_figures, METH_O, figures_doc},
    {"dump", (PyCFunction)TokenSet_dump, METH_NOARGS, dump_doc},
    {"load", (PyCFunction)TokenSet_load, METH_O | METH_CLASS, load_doc},
    {NULL, NULL, 0, NULL},
};

static PySequenceMethods TokenSet_as_sequence = {
    .sq_length = (lenfunc)TokenSet_len,
};

PyDoc_STRVAR(TokenSet_doc,
             "TokenSet(words)\n--\n\n"
             "A fixed set of byte strings, for whole-token look-ups over a byte view in "
             "which tokens are separated by spaces. A repeated word keeps its first index.");

static PyTypeObject TokenSetType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "cleantext._tokenset.TokenSet",
    .tp_basicsize = sizeof(TokenSet),
    .tp_dealloc = (destructor)TokenSet_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = TokenSet_doc,
    .tp_methods = TokenSet_methods,
    .tp_as_sequence = &TokenSet_as_sequence,
    .tp_init = (initproc)TokenSet_init,
    .tp_new = PyType_GenericNew,
};

static struct PyModuleDef tokenset_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "cleantext._tokenset",
    .m_doc = "Whole-token look-ups over a space-separated byte view (see _tokenset.c).",
    .m_size = -1,
};

PyMODINIT_FUNC PyInit__tokenset(void) {
    classes_init();
    if (PyType_Ready(&TokenSetType) < 0) {
        return NULL;
    }
    PyObject *module = PyModule_Create(&tokenset_module);
    if (module == NULL) {
        return NULL;
    }
    Py_INCREF(&TokenSetType);
    if (PyModule_AddObject(module, "TokenSet", (PyObject *)&TokenSetType) < 0) {
        Py_DECREF(&TokenSetType);
        Py_DECREF(module);
        return NULL;
    }
    if (PyModule_AddIntConstant(module, "DUMP_VERSION", (long)DUMP_VERSION) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
