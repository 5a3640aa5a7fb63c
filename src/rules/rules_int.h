/* rules_int.h — private to src/rules/: tokens and the lexer, the parser state
 * shared by the rule and condition parsers, and the compiled condition (a
 * compact node array evaluated without allocation).  Nothing outside
 * src/rules/ includes this file. */
#ifndef NP_RULES_INT_H
#define NP_RULES_INT_H
#include "rules/rules.h"

/* ---- tokens ------------------------------------------------------------ */

enum {
  TK_EOF = 0,
  TK_IDENT,  /* name, keyword or dotted value name (pii.phone) */
  TK_STRING, /* "..." (decoded into str/str_len) */
  TK_REGEX,  /* /.../flags (source in str/str_len, flags in mods) */
  TK_NUMBER, /* num */
  TK_VAR,    /* $name, $prefix*, $* (wildcard set) */
  TK_COUNT,  /* #name */
  TK_LBRACE, TK_RBRACE, TK_LPAREN, TK_RPAREN, TK_COLON, TK_COMMA, TK_ASSIGN,
  TK_EQ, TK_NE, TK_LT, TK_LE, TK_GT, TK_GE, TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH,
  TK_BAD     /* a character the language does not know (already reported) */
};

typedef struct rules_tok {
  int kind;
  int line, col;      /* 1-based; col counts code points */
  const char *p;      /* raw text in the source */
  size_t n;
  const char *str;    /* TK_STRING/TK_REGEX decoded text (NUL-terminated, lexer scratch) */
  size_t str_len;
  unsigned mods;      /* TK_REGEX: RULES_MOD_NOCASE | RULES_MOD_DOTALL */
  int wildcard;       /* TK_VAR: ends in '*' */
  double num;
} rules_tok;

typedef struct rules_lexer {
  const char *file, *src;
  size_t len, pos;
  int line, col;
  char *scratch;      /* [len + 1]: decoded strings land at their own source offset */
  rules_diags *diags;
  int cond_mode;      /* '#name' is a count, not a comment */
  int regex_ok;       /* '/' starts a regex, not a division */
  int errors;         /* diagnostics this lexer reported */
  int oom;            /* a diagnostic could not be stored */
} rules_lexer;

/* Prepares a lexer over src (allocates the scratch); returns 0 or NP_ENOMEM. */
int rules_lex_init(rules_lexer *L, const np_allocator *a, const char *file, const char *src,
                   size_t len, rules_diags *d);
void rules_lex_free(rules_lexer *L, const np_allocator *a);
/* Reads the next token; lexical errors are reported and lexing goes on. */
void rules_lex_next(rules_lexer *L, rules_tok *t);
/* "'text'" of a token for messages ("end of file" at EOF), into buf. */
void rules_tok_describe(const rules_tok *t, char *buf, size_t size);
/* Reports a diagnostic at (line, col) of the lexer's file. */
void rules_lex_error(rules_lexer *L, int line, int col, const char *fmt, ...) UTIL_PRINTF(4, 5);
/* 1 if the identifier token spells word. */
int rules_tok_is(const rules_tok *t, const char *word);
/* 1 if the identifier is a keyword of the language. */
int rules_is_keyword(const char *p, size_t n);

/* ---- compiled conditions ---------------------------------------------- */

enum {
  OP_NUM = 0, /* num */
  OP_STR,     /* a = string: count > 0 */
  OP_COUNT,   /* a = string: count */
  OP_VALUE,   /* a = value slot */
  OP_NEG,     /* a = operand */
  OP_NOT,     /* a = operand */
  OP_AND,     /* idx[a .. a+b) = operands, short-circuit */
  OP_OR,
  OP_SUM,     /* idx[a .. a+b) = operands; OP_INV bit: subtract */
  OP_PROD,    /* idx[a .. a+b) = operands; OP_INV bit: divide (x/0 = 0) */
  OP_CMP,     /* a, b operands; c = TK_EQ .. TK_GE */
  OP_OF,      /* idx[a .. a+b) = strings; c = OF_*; num = k for OF_ATLEAST */
  OP_NEAR,    /* idx[a .. a+b) and idx[c .. c+d) = string sets; num = distance */
};
enum { OF_ATLEAST = 0, OF_ALL = 1, OF_NONE = 2 };
#define OP_INV 0x80000000u

typedef struct rules_node {
  uint8_t op;
  uint32_t a, b, c, d;
  double num;
  int line, col;      /* source position of the construct */
} rules_node;

struct rules_expr {
  rules_node *nodes;
  uint32_t n_nodes, root;
  uint32_t *idx;      /* operand lists and string sets */
  uint32_t n_idx;
};

/* ---- parser state (parse.c builds rules, cond.c their conditions) ------ */

#define RULES_PERR (-1000) /* a syntax error was reported: recover at the next rule */
#define RULES_MAX_DEPTH 100

typedef struct rules_parser {
  rules_lexer L;
  rules_tok tok;      /* lookahead */
  int have;
  rules_set *set;
  const np_allocator *a;
  const char *file;
  rules_diags *diags;
  rules_value_resolver resolve;
  void *resolve_ctx;
  /* the rule being parsed */
  util_vec strings;   /* rules_string */
  util_vec used;      /* uint8_t per string: referenced by the condition */
  util_vec nodes;     /* rules_node */
  util_vec idx;       /* uint32_t: final operand lists and sets */
  util_vec stack;     /* uint32_t: operands of chains being collected */
  util_vec mark;      /* uint8_t per string: already in the set being built */
  uint32_t base;      /* global index of the rule's first string */
  size_t n_declared;  /* strings declared in strings: (the rest are anonymous) */
  int depth;
  int uses_near;
} rules_parser;

const rules_tok *rules_peek(rules_parser *P);
void rules_advance(rules_parser *P);
/* Reports "found X" style errors at the lookahead and returns RULES_PERR. */
int rules_syntax_error(rules_parser *P, const char *fmt, ...) UTIL_PRINTF(2, 3);

/* Parses the condition (after "condition:") up to, not including, the closing
 * '}' and compiles it into *out.  Returns 0, RULES_PERR or NP_ENOMEM;
 * semantic errors are reported and parsing continues (the rule is dropped). */
int rules_cond_parse(rules_parser *P, struct rules_expr **out);
void rules_expr_free(const np_allocator *a, struct rules_expr *x);
#endif
