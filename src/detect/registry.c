/* registry.c — the detector registry: one static const row per indicator
 * type (name in verdict JSON, whether it is a contact channel, whether it
 * identifies a person and its doxxing weight from domain.md §1.7), and the
 * names of the values the stage produces for rule conditions. */
#include "detect/detect_int.h"

static const detect_type_info types[DETECT_N_TYPES] = {
    /* name               contact pii weight */
    [DETECT_CN_ID] = {"cn_id", 0, 1, 5},
    [DETECT_CN_ID_MASKED] = {"cn_id_masked", 0, 1, 3},
    [DETECT_FPR_CARD] = {"fpr_card", 0, 1, 5},
    [DETECT_MOBILE] = {"phone", 1, 1, 3},
    [DETECT_MOBILE_MASKED] = {"phone_masked", 0, 1, 1},
    [DETECT_LANDLINE] = {"landline", 1, 1, 2},
    [DETECT_SERVICE_PHONE] = {"service_phone", 1, 0, 0},
    [DETECT_BANK_CARD] = {"bank_card", 0, 1, 3},
    [DETECT_BANK_CARD_MASKED] = {"bank_card_masked", 0, 1, 1},
    [DETECT_USCC] = {"uscc", 0, 0, 0},
    [DETECT_HKID] = {"hkid", 0, 1, 5},
    [DETECT_TW_ID] = {"tw_id", 0, 1, 5},
    [DETECT_PASSPORT] = {"passport", 0, 1, 4},
    [DETECT_PERMIT] = {"permit", 0, 1, 4},
    [DETECT_QQ] = {"qq", 1, 1, 2},
    [DETECT_WECHAT] = {"wechat", 1, 1, 2},
    [DETECT_ALIPAY] = {"alipay", 1, 1, 2},
    [DETECT_TELEGRAM] = {"telegram", 1, 0, 0},
    [DETECT_EMAIL] = {"email", 1, 1, 2},
    [DETECT_URL] = {"url", 1, 0, 0},
    [DETECT_DOMAIN] = {"domain", 1, 0, 0},
    [DETECT_IPV4] = {"ipv4", 0, 0, 0},
    [DETECT_IPV6] = {"ipv6", 0, 0, 0},
    [DETECT_BTC] = {"btc", 0, 0, 0},
    [DETECT_ETH] = {"eth", 0, 0, 0},
    [DETECT_TRON] = {"tron", 0, 0, 0},
    [DETECT_PLATE] = {"plate", 0, 1, 2},
    [DETECT_ADDRESS] = {"address", 0, 1, 3},
};

const detect_type_info *detect_type_get(detect_type t) {
  return (unsigned)t < DETECT_N_TYPES ? &types[t] : NULL;
}

static const char *const value_names[DETECT_N_VALUES] = {
#define DETECT_XX_VNAME(id, name) name,
    DETECT_VALUE_MAP(DETECT_XX_VNAME)
#undef DETECT_XX_VNAME
};

const char *detect_value_name(detect_value v) {
  return (unsigned)v < DETECT_N_VALUES ? value_names[v] : NULL;
}
