/* Module paths, import paths and file paths, and the '!' case-encoding,
 * with the rules of golang.org/x/mod/module (module.go): CheckPath,
 * CheckImportPath, CheckFilePath, SplitPathVersion, CheckPathMajor, Check,
 * EscapePath/UnescapePath and EscapeVersion/UnescapeVersion.  The grammar
 * is also stated in go.dev/ref/mod#module-path and #goproxy-protocol.
 * All checks work in place on the caller's string and return a static
 * reason, so a caller can print "malformed module path 'x': reason". */
#include "gomod/modpath.h"
#include "base/utf8.h"
#include "gomod/semver.h"
#include "base/limits.h"
#include "base/util.h"

#include <stdint.h>
#include <string.h>

/* The three kinds of path x/mod checks, from strictest to loosest. */
enum kind { MODULE_PATH, IMPORT_PATH, FILE_PATH };

/* Unicode letters (General_Category Lu, Ll, Lt, Lm, Lo) above U+007F,
 * as sorted, merged ranges.  x/mod's fileNameOK accepts any rune for which
 * Go's unicode.IsLetter is true; this table is generated from the Unicode
 * Character Database 15.0.0 (UnicodeData.txt), the version of Go 1.21 and
 * later, whose go command checks the file names in every module zip it
 * downloads. */
static const uint32_t letters[][2] = {
	{0x000AA, 0x000AA}, {0x000B5, 0x000B5}, {0x000BA, 0x000BA}, {0x000C0, 0x000D6},
	{0x000D8, 0x000F6}, {0x000F8, 0x002C1}, {0x002C6, 0x002D1}, {0x002E0, 0x002E4},
	{0x002EC, 0x002EC}, {0x002EE, 0x002EE}, {0x00370, 0x00374}, {0x00376, 0x00377},
	{0x0037A, 0x0037D}, {0x0037F, 0x0037F}, {0x00386, 0x00386}, {0x00388, 0x0038A},
	{0x0038C, 0x0038C}, {0x0038E, 0x003A1}, {0x003A3, 0x003F5}, {0x003F7, 0x00481},
	{0x0048A, 0x0052F}, {0x00531, 0x00556}, {0x00559, 0x00559}, {0x00560, 0x00588},
	{0x005D0, 0x005EA}, {0x005EF, 0x005F2}, {0x00620, 0x0064A}, {0x0066E, 0x0066F},
	{0x00671, 0x006D3}, {0x006D5, 0x006D5}, {0x006E5, 0x006E6}, {0x006EE, 0x006EF},
	{0x006FA, 0x006FC}, {0x006FF, 0x006FF}, {0x00710, 0x00710}, {0x00712, 0x0072F},
	{0x0074D, 0x007A5}, {0x007B1, 0x007B1}, {0x007CA, 0x007EA}, {0x007F4, 0x007F5},
	{0x007FA, 0x007FA}, {0x00800, 0x00815}, {0x0081A, 0x0081A}, {0x00824, 0x00824},
	{0x00828, 0x00828}, {0x00840, 0x00858}, {0x00860, 0x0086A}, {0x00870, 0x00887},
	{0x00889, 0x0088E}, {0x008A0, 0x008C9}, {0x00904, 0x00939}, {0x0093D, 0x0093D},
	{0x00950, 0x00950}, {0x00958, 0x00961}, {0x00971, 0x00980}, {0x00985, 0x0098C},
	{0x0098F, 0x00990}, {0x00993, 0x009A8}, {0x009AA, 0x009B0}, {0x009B2, 0x009B2},
	{0x009B6, 0x009B9}, {0x009BD, 0x009BD}, {0x009CE, 0x009CE}, {0x009DC, 0x009DD},
	{0x009DF, 0x009E1}, {0x009F0, 0x009F1}, {0x009FC, 0x009FC}, {0x00A05, 0x00A0A},
	{0x00A0F, 0x00A10}, {0x00A13, 0x00A28}, {0x00A2A, 0x00A30}, {0x00A32, 0x00A33},
	{0x00A35, 0x00A36}, {0x00A38, 0x00A39}, {0x00A59, 0x00A5C}, {0x00A5E, 0x00A5E},
	{0x00A72, 0x00A74}, {0x00A85, 0x00A8D}, {0x00A8F, 0x00A91}, {0x00A93, 0x00AA8},
	{0x00AAA, 0x00AB0}, {0x00AB2, 0x00AB3}, {0x00AB5, 0x00AB9}, {0x00ABD, 0x00ABD},
	{0x00AD0, 0x00AD0}, {0x00AE0, 0x00AE1}, {0x00AF9, 0x00AF9}, {0x00B05, 0x00B0C},
	{0x00B0F, 0x00B10}, {0x00B13, 0x00B28}, {0x00B2A, 0x00B30}, {0x00B32, 0x00B33},
	{0x00B35, 0x00B39}, {0x00B3D, 0x00B3D}, {0x00B5C, 0x00B5D}, {0x00B5F, 0x00B61},
	{0x00B71, 0x00B71}, {0x00B83, 0x00B83}, {0x00B85, 0x00B8A}, {0x00B8E, 0x00B90},
	{0x00B92, 0x00B95}, {0x00B99, 0x00B9A}, {0x00B9C, 0x00B9C}, {0x00B9E, 0x00B9F},
	{0x00BA3, 0x00BA4}, {0x00BA8, 0x00BAA}, {0x00BAE, 0x00BB9}, {0x00BD0, 0x00BD0},
	{0x00C05, 0x00C0C}, {0x00C0E, 0x00C10}, {0x00C12, 0x00C28}, {0x00C2A, 0x00C39},
	{0x00C3D, 0x00C3D}, {0x00C58, 0x00C5A}, {0x00C5D, 0x00C5D}, {0x00C60, 0x00C61},
	{0x00C80, 0x00C80}, {0x00C85, 0x00C8C}, {0x00C8E, 0x00C90}, {0x00C92, 0x00CA8},
	{0x00CAA, 0x00CB3}, {0x00CB5, 0x00CB9}, {0x00CBD, 0x00CBD}, {0x00CDD, 0x00CDE},
	{0x00CE0, 0x00CE1}, {0x00CF1, 0x00CF2}, {0x00D04, 0x00D0C}, {0x00D0E, 0x00D10},
	{0x00D12, 0x00D3A}, {0x00D3D, 0x00D3D}, {0x00D4E, 0x00D4E}, {0x00D54, 0x00D56},
	{0x00D5F, 0x00D61}, {0x00D7A, 0x00D7F}, {0x00D85, 0x00D96}, {0x00D9A, 0x00DB1},
	{0x00DB3, 0x00DBB}, {0x00DBD, 0x00DBD}, {0x00DC0, 0x00DC6}, {0x00E01, 0x00E30},
	{0x00E32, 0x00E33}, {0x00E40, 0x00E46}, {0x00E81, 0x00E82}, {0x00E84, 0x00E84},
	{0x00E86, 0x00E8A}, {0x00E8C, 0x00EA3}, {0x00EA5, 0x00EA5}, {0x00EA7, 0x00EB0},
	{0x00EB2, 0x00EB3}, {0x00EBD, 0x00EBD}, {0x00EC0, 0x00EC4}, {0x00EC6, 0x00EC6},
	{0x00EDC, 0x00EDF}, {0x00F00, 0x00F00}, {0x00F40, 0x00F47}, {0x00F49, 0x00F6C},
	{0x00F88, 0x00F8C}, {0x01000, 0x0102A}, {0x0103F, 0x0103F}, {0x01050, 0x01055},
	{0x0105A, 0x0105D}, {0x01061, 0x01061}, {0x01065, 0x01066}, {0x0106E, 0x01070},
	{0x01075, 0x01081}, {0x0108E, 0x0108E}, {0x010A0, 0x010C5}, {0x010C7, 0x010C7},
	{0x010CD, 0x010CD}, {0x010D0, 0x010FA}, {0x010FC, 0x01248}, {0x0124A, 0x0124D},
	{0x01250, 0x01256}, {0x01258, 0x01258}, {0x0125A, 0x0125D}, {0x01260, 0x01288},
	{0x0128A, 0x0128D}, {0x01290, 0x012B0}, {0x012B2, 0x012B5}, {0x012B8, 0x012BE},
	{0x012C0, 0x012C0}, {0x012C2, 0x012C5}, {0x012C8, 0x012D6}, {0x012D8, 0x01310},
	{0x01312, 0x01315}, {0x01318, 0x0135A}, {0x01380, 0x0138F}, {0x013A0, 0x013F5},
	{0x013F8, 0x013FD}, {0x01401, 0x0166C}, {0x0166F, 0x0167F}, {0x01681, 0x0169A},
	{0x016A0, 0x016EA}, {0x016F1, 0x016F8}, {0x01700, 0x01711}, {0x0171F, 0x01731},
	{0x01740, 0x01751}, {0x01760, 0x0176C}, {0x0176E, 0x01770}, {0x01780, 0x017B3},
	{0x017D7, 0x017D7}, {0x017DC, 0x017DC}, {0x01820, 0x01878}, {0x01880, 0x01884},
	{0x01887, 0x018A8}, {0x018AA, 0x018AA}, {0x018B0, 0x018F5}, {0x01900, 0x0191E},
	{0x01950, 0x0196D}, {0x01970, 0x01974}, {0x01980, 0x019AB}, {0x019B0, 0x019C9},
	{0x01A00, 0x01A16}, {0x01A20, 0x01A54}, {0x01AA7, 0x01AA7}, {0x01B05, 0x01B33},
	{0x01B45, 0x01B4C}, {0x01B83, 0x01BA0}, {0x01BAE, 0x01BAF}, {0x01BBA, 0x01BE5},
	{0x01C00, 0x01C23}, {0x01C4D, 0x01C4F}, {0x01C5A, 0x01C7D}, {0x01C80, 0x01C88},
	{0x01C90, 0x01CBA}, {0x01CBD, 0x01CBF}, {0x01CE9, 0x01CEC}, {0x01CEE, 0x01CF3},
	{0x01CF5, 0x01CF6}, {0x01CFA, 0x01CFA}, {0x01D00, 0x01DBF}, {0x01E00, 0x01F15},
	{0x01F18, 0x01F1D}, {0x01F20, 0x01F45}, {0x01F48, 0x01F4D}, {0x01F50, 0x01F57},
	{0x01F59, 0x01F59}, {0x01F5B, 0x01F5B}, {0x01F5D, 0x01F5D}, {0x01F5F, 0x01F7D},
	{0x01F80, 0x01FB4}, {0x01FB6, 0x01FBC}, {0x01FBE, 0x01FBE}, {0x01FC2, 0x01FC4},
	{0x01FC6, 0x01FCC}, {0x01FD0, 0x01FD3}, {0x01FD6, 0x01FDB}, {0x01FE0, 0x01FEC},
	{0x01FF2, 0x01FF4}, {0x01FF6, 0x01FFC}, {0x02071, 0x02071}, {0x0207F, 0x0207F},
	{0x02090, 0x0209C}, {0x02102, 0x02102}, {0x02107, 0x02107}, {0x0210A, 0x02113},
	{0x02115, 0x02115}, {0x02119, 0x0211D}, {0x02124, 0x02124}, {0x02126, 0x02126},
	{0x02128, 0x02128}, {0x0212A, 0x0212D}, {0x0212F, 0x02139}, {0x0213C, 0x0213F},
	{0x02145, 0x02149}, {0x0214E, 0x0214E}, {0x02183, 0x02184}, {0x02C00, 0x02CE4},
	{0x02CEB, 0x02CEE}, {0x02CF2, 0x02CF3}, {0x02D00, 0x02D25}, {0x02D27, 0x02D27},
	{0x02D2D, 0x02D2D}, {0x02D30, 0x02D67}, {0x02D6F, 0x02D6F}, {0x02D80, 0x02D96},
	{0x02DA0, 0x02DA6}, {0x02DA8, 0x02DAE}, {0x02DB0, 0x02DB6}, {0x02DB8, 0x02DBE},
	{0x02DC0, 0x02DC6}, {0x02DC8, 0x02DCE}, {0x02DD0, 0x02DD6}, {0x02DD8, 0x02DDE},
	{0x02E2F, 0x02E2F}, {0x03005, 0x03006}, {0x03031, 0x03035}, {0x0303B, 0x0303C},
	{0x03041, 0x03096}, {0x0309D, 0x0309F}, {0x030A1, 0x030FA}, {0x030FC, 0x030FF},
	{0x03105, 0x0312F}, {0x03131, 0x0318E}, {0x031A0, 0x031BF}, {0x031F0, 0x031FF},
	{0x03400, 0x04DBF}, {0x04E00, 0x0A48C}, {0x0A4D0, 0x0A4FD}, {0x0A500, 0x0A60C},
	{0x0A610, 0x0A61F}, {0x0A62A, 0x0A62B}, {0x0A640, 0x0A66E}, {0x0A67F, 0x0A69D},
	{0x0A6A0, 0x0A6E5}, {0x0A717, 0x0A71F}, {0x0A722, 0x0A788}, {0x0A78B, 0x0A7CA},
	{0x0A7D0, 0x0A7D1}, {0x0A7D3, 0x0A7D3}, {0x0A7D5, 0x0A7D9}, {0x0A7F2, 0x0A801},
	{0x0A803, 0x0A805}, {0x0A807, 0x0A80A}, {0x0A80C, 0x0A822}, {0x0A840, 0x0A873},
	{0x0A882, 0x0A8B3}, {0x0A8F2, 0x0A8F7}, {0x0A8FB, 0x0A8FB}, {0x0A8FD, 0x0A8FE},
	{0x0A90A, 0x0A925}, {0x0A930, 0x0A946}, {0x0A960, 0x0A97C}, {0x0A984, 0x0A9B2},
	{0x0A9CF, 0x0A9CF}, {0x0A9E0, 0x0A9E4}, {0x0A9E6, 0x0A9EF}, {0x0A9FA, 0x0A9FE},
	{0x0AA00, 0x0AA28}, {0x0AA40, 0x0AA42}, {0x0AA44, 0x0AA4B}, {0x0AA60, 0x0AA76},
	{0x0AA7A, 0x0AA7A}, {0x0AA7E, 0x0AAAF}, {0x0AAB1, 0x0AAB1}, {0x0AAB5, 0x0AAB6},
	{0x0AAB9, 0x0AABD}, {0x0AAC0, 0x0AAC0}, {0x0AAC2, 0x0AAC2}, {0x0AADB, 0x0AADD},
	{0x0AAE0, 0x0AAEA}, {0x0AAF2, 0x0AAF4}, {0x0AB01, 0x0AB06}, {0x0AB09, 0x0AB0E},
	{0x0AB11, 0x0AB16}, {0x0AB20, 0x0AB26}, {0x0AB28, 0x0AB2E}, {0x0AB30, 0x0AB5A},
	{0x0AB5C, 0x0AB69}, {0x0AB70, 0x0ABE2}, {0x0AC00, 0x0D7A3}, {0x0D7B0, 0x0D7C6},
	{0x0D7CB, 0x0D7FB}, {0x0F900, 0x0FA6D}, {0x0FA70, 0x0FAD9}, {0x0FB00, 0x0FB06},
	{0x0FB13, 0x0FB17}, {0x0FB1D, 0x0FB1D}, {0x0FB1F, 0x0FB28}, {0x0FB2A, 0x0FB36},
	{0x0FB38, 0x0FB3C}, {0x0FB3E, 0x0FB3E}, {0x0FB40, 0x0FB41}, {0x0FB43, 0x0FB44},
	{0x0FB46, 0x0FBB1}, {0x0FBD3, 0x0FD3D}, {0x0FD50, 0x0FD8F}, {0x0FD92, 0x0FDC7},
	{0x0FDF0, 0x0FDFB}, {0x0FE70, 0x0FE74}, {0x0FE76, 0x0FEFC}, {0x0FF21, 0x0FF3A},
	{0x0FF41, 0x0FF5A}, {0x0FF66, 0x0FFBE}, {0x0FFC2, 0x0FFC7}, {0x0FFCA, 0x0FFCF},
	{0x0FFD2, 0x0FFD7}, {0x0FFDA, 0x0FFDC}, {0x10000, 0x1000B}, {0x1000D, 0x10026},
	{0x10028, 0x1003A}, {0x1003C, 0x1003D}, {0x1003F, 0x1004D}, {0x10050, 0x1005D},
	{0x10080, 0x100FA}, {0x10280, 0x1029C}, {0x102A0, 0x102D0}, {0x10300, 0x1031F},
	{0x1032D, 0x10340}, {0x10342, 0x10349}, {0x10350, 0x10375}, {0x10380, 0x1039D},
	{0x103A0, 0x103C3}, {0x103C8, 0x103CF}, {0x10400, 0x1049D}, {0x104B0, 0x104D3},
	{0x104D8, 0x104FB}, {0x10500, 0x10527}, {0x10530, 0x10563}, {0x10570, 0x1057A},
	{0x1057C, 0x1058A}, {0x1058C, 0x10592}, {0x10594, 0x10595}, {0x10597, 0x105A1},
	{0x105A3, 0x105B1}, {0x105B3, 0x105B9}, {0x105BB, 0x105BC}, {0x10600, 0x10736},
	{0x10740, 0x10755}, {0x10760, 0x10767}, {0x10780, 0x10785}, {0x10787, 0x107B0},
	{0x107B2, 0x107BA}, {0x10800, 0x10805}, {0x10808, 0x10808}, {0x1080A, 0x10835},
	{0x10837, 0x10838}, {0x1083C, 0x1083C}, {0x1083F, 0x10855}, {0x10860, 0x10876},
	{0x10880, 0x1089E}, {0x108E0, 0x108F2}, {0x108F4, 0x108F5}, {0x10900, 0x10915},
	{0x10920, 0x10939}, {0x10980, 0x109B7}, {0x109BE, 0x109BF}, {0x10A00, 0x10A00},
	{0x10A10, 0x10A13}, {0x10A15, 0x10A17}, {0x10A19, 0x10A35}, {0x10A60, 0x10A7C},
	{0x10A80, 0x10A9C}, {0x10AC0, 0x10AC7}, {0x10AC9, 0x10AE4}, {0x10B00, 0x10B35},
	{0x10B40, 0x10B55}, {0x10B60, 0x10B72}, {0x10B80, 0x10B91}, {0x10C00, 0x10C48},
	{0x10C80, 0x10CB2}, {0x10CC0, 0x10CF2}, {0x10D00, 0x10D23}, {0x10E80, 0x10EA9},
	{0x10EB0, 0x10EB1}, {0x10F00, 0x10F1C}, {0x10F27, 0x10F27}, {0x10F30, 0x10F45},
	{0x10F70, 0x10F81}, {0x10FB0, 0x10FC4}, {0x10FE0, 0x10FF6}, {0x11003, 0x11037},
	{0x11071, 0x11072}, {0x11075, 0x11075}, {0x11083, 0x110AF}, {0x110D0, 0x110E8},
	{0x11103, 0x11126}, {0x11144, 0x11144}, {0x11147, 0x11147}, {0x11150, 0x11172},
	{0x11176, 0x11176}, {0x11183, 0x111B2}, {0x111C1, 0x111C4}, {0x111DA, 0x111DA},
	{0x111DC, 0x111DC}, {0x11200, 0x11211}, {0x11213, 0x1122B}, {0x1123F, 0x11240},
	{0x11280, 0x11286}, {0x11288, 0x11288}, {0x1128A, 0x1128D}, {0x1128F, 0x1129D},
	{0x1129F, 0x112A8}, {0x112B0, 0x112DE}, {0x11305, 0x1130C}, {0x1130F, 0x11310},
	{0x11313, 0x11328}, {0x1132A, 0x11330}, {0x11332, 0x11333}, {0x11335, 0x11339},
	{0x1133D, 0x1133D}, {0x11350, 0x11350}, {0x1135D, 0x11361}, {0x11400, 0x11434},
	{0x11447, 0x1144A}, {0x1145F, 0x11461}, {0x11480, 0x114AF}, {0x114C4, 0x114C5},
	{0x114C7, 0x114C7}, {0x11580, 0x115AE}, {0x115D8, 0x115DB}, {0x11600, 0x1162F},
	{0x11644, 0x11644}, {0x11680, 0x116AA}, {0x116B8, 0x116B8}, {0x11700, 0x1171A},
	{0x11740, 0x11746}, {0x11800, 0x1182B}, {0x118A0, 0x118DF}, {0x118FF, 0x11906},
	{0x11909, 0x11909}, {0x1190C, 0x11913}, {0x11915, 0x11916}, {0x11918, 0x1192F},
	{0x1193F, 0x1193F}, {0x11941, 0x11941}, {0x119A0, 0x119A7}, {0x119AA, 0x119D0},
	{0x119E1, 0x119E1}, {0x119E3, 0x119E3}, {0x11A00, 0x11A00}, {0x11A0B, 0x11A32},
	{0x11A3A, 0x11A3A}, {0x11A50, 0x11A50}, {0x11A5C, 0x11A89}, {0x11A9D, 0x11A9D},
	{0x11AB0, 0x11AF8}, {0x11C00, 0x11C08}, {0x11C0A, 0x11C2E}, {0x11C40, 0x11C40},
	{0x11C72, 0x11C8F}, {0x11D00, 0x11D06}, {0x11D08, 0x11D09}, {0x11D0B, 0x11D30},
	{0x11D46, 0x11D46}, {0x11D60, 0x11D65}, {0x11D67, 0x11D68}, {0x11D6A, 0x11D89},
	{0x11D98, 0x11D98}, {0x11EE0, 0x11EF2}, {0x11F02, 0x11F02}, {0x11F04, 0x11F10},
	{0x11F12, 0x11F33}, {0x11FB0, 0x11FB0}, {0x12000, 0x12399}, {0x12480, 0x12543},
	{0x12F90, 0x12FF0}, {0x13000, 0x1342F}, {0x13441, 0x13446}, {0x14400, 0x14646},
	{0x16800, 0x16A38}, {0x16A40, 0x16A5E}, {0x16A70, 0x16ABE}, {0x16AD0, 0x16AED},
	{0x16B00, 0x16B2F}, {0x16B40, 0x16B43}, {0x16B63, 0x16B77}, {0x16B7D, 0x16B8F},
	{0x16E40, 0x16E7F}, {0x16F00, 0x16F4A}, {0x16F50, 0x16F50}, {0x16F93, 0x16F9F},
	{0x16FE0, 0x16FE1}, {0x16FE3, 0x16FE3}, {0x17000, 0x187F7}, {0x18800, 0x18CD5},
	{0x18D00, 0x18D08}, {0x1AFF0, 0x1AFF3}, {0x1AFF5, 0x1AFFB}, {0x1AFFD, 0x1AFFE},
	{0x1B000, 0x1B122}, {0x1B132, 0x1B132}, {0x1B150, 0x1B152}, {0x1B155, 0x1B155},
	{0x1B164, 0x1B167}, {0x1B170, 0x1B2FB}, {0x1BC00, 0x1BC6A}, {0x1BC70, 0x1BC7C},
	{0x1BC80, 0x1BC88}, {0x1BC90, 0x1BC99}, {0x1D400, 0x1D454}, {0x1D456, 0x1D49C},
	{0x1D49E, 0x1D49F}, {0x1D4A2, 0x1D4A2}, {0x1D4A5, 0x1D4A6}, {0x1D4A9, 0x1D4AC},
	{0x1D4AE, 0x1D4B9}, {0x1D4BB, 0x1D4BB}, {0x1D4BD, 0x1D4C3}, {0x1D4C5, 0x1D505},
	{0x1D507, 0x1D50A}, {0x1D50D, 0x1D514}, {0x1D516, 0x1D51C}, {0x1D51E, 0x1D539},
	{0x1D53B, 0x1D53E}, {0x1D540, 0x1D544}, {0x1D546, 0x1D546}, {0x1D54A, 0x1D550},
	{0x1D552, 0x1D6A5}, {0x1D6A8, 0x1D6C0}, {0x1D6C2, 0x1D6DA}, {0x1D6DC, 0x1D6FA},
	{0x1D6FC, 0x1D714}, {0x1D716, 0x1D734}, {0x1D736, 0x1D74E}, {0x1D750, 0x1D76E},
	{0x1D770, 0x1D788}, {0x1D78A, 0x1D7A8}, {0x1D7AA, 0x1D7C2}, {0x1D7C4, 0x1D7CB},
	{0x1DF00, 0x1DF1E}, {0x1DF25, 0x1DF2A}, {0x1E030, 0x1E06D}, {0x1E100, 0x1E12C},
	{0x1E137, 0x1E13D}, {0x1E14E, 0x1E14E}, {0x1E290, 0x1E2AD}, {0x1E2C0, 0x1E2EB},
	{0x1E4D0, 0x1E4EB}, {0x1E7E0, 0x1E7E6}, {0x1E7E8, 0x1E7EB}, {0x1E7ED, 0x1E7EE},
	{0x1E7F0, 0x1E7FE}, {0x1E800, 0x1E8C4}, {0x1E900, 0x1E943}, {0x1E94B, 0x1E94B},
	{0x1EE00, 0x1EE03}, {0x1EE05, 0x1EE1F}, {0x1EE21, 0x1EE22}, {0x1EE24, 0x1EE24},
	{0x1EE27, 0x1EE27}, {0x1EE29, 0x1EE32}, {0x1EE34, 0x1EE37}, {0x1EE39, 0x1EE39},
	{0x1EE3B, 0x1EE3B}, {0x1EE42, 0x1EE42}, {0x1EE47, 0x1EE47}, {0x1EE49, 0x1EE49},
	{0x1EE4B, 0x1EE4B}, {0x1EE4D, 0x1EE4F}, {0x1EE51, 0x1EE52}, {0x1EE54, 0x1EE54},
	{0x1EE57, 0x1EE57}, {0x1EE59, 0x1EE59}, {0x1EE5B, 0x1EE5B}, {0x1EE5D, 0x1EE5D},
	{0x1EE5F, 0x1EE5F}, {0x1EE61, 0x1EE62}, {0x1EE64, 0x1EE64}, {0x1EE67, 0x1EE6A},
	{0x1EE6C, 0x1EE72}, {0x1EE74, 0x1EE77}, {0x1EE79, 0x1EE7C}, {0x1EE7E, 0x1EE7E},
	{0x1EE80, 0x1EE89}, {0x1EE8B, 0x1EE9B}, {0x1EEA1, 0x1EEA3}, {0x1EEA5, 0x1EEA9},
	{0x1EEAB, 0x1EEBB}, {0x20000, 0x2A6DF}, {0x2A700, 0x2B739}, {0x2B740, 0x2B81D},
	{0x2B820, 0x2CEA1}, {0x2CEB0, 0x2EBE0}, {0x2F800, 0x2FA1D}, {0x30000, 0x3134A},
	{0x31350, 0x323AF},
};

static int is_letter(uint32_t r)
{
	size_t lo = 0, hi = sizeof letters / sizeof letters[0];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r < letters[mid][0])
			hi = mid;
		else if (r > letters[mid][1])
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

/* One UTF-8 sequence of the NUL-terminated s, as Go's
 * utf8.DecodeRuneInString reads it: its length and the rune in *r, or 0
 * if s is not valid UTF-8 there.  At most 4 bytes are looked at, and a
 * NUL ends a sequence (it is no continuation byte). */
static size_t decode_valid(const unsigned char *s, uint32_t *r)
{
	size_t n;
	*r = utf8_decode(s, 4, &n);
	return *r == 0xFFFD && n == 1 ? 0 : n;
}

static int is_lower(uint32_t c) { return c >= 'a' && c <= 'z'; }
static int is_upper(uint32_t c) { return c >= 'A' && c <= 'Z'; }
static int is_digit(uint32_t c) { return c >= '0' && c <= '9'; }
static int is_alnum(uint32_t c) { return is_lower(c) || is_upper(c) || is_digit(c); }

/* module.go modPathOK: ASCII letters, digits and - . _ ~ only; '+' and
 * '%' would change meaning in a URL, other Unicode awaits a safe
 * case-encoding. */
static int mod_path_ok(uint32_t r)
{
	return is_alnum(r) || r == '-' || r == '.' || r == '_' || r == '~';
}

/* module.go importPathOK: modPathOK plus '+' (binaries like "foo++"). */
static int import_path_ok(uint32_t r)
{
	return mod_path_ok(r) || r == '+';
}

/* module.go fileNameOK: ASCII letters and digits, the space and the
 * punctuation !#$%&()+,-.=@[]^_{}~ (not the shell-special " ' * < > ? ` |
 * nor the separators / : \), and any Unicode letter. */
static int file_name_ok(uint32_t r)
{
	if (r < 0x80)
		switch (r) {
		case '!': case '#': case '$': case '%': case '&': case '(': case ')': case '+': case ',':
		case '-': case '.': case '=': case '@': case '[': case ']': case '^': case '_': case '{':
		case '}': case '~': case ' ':
			return 1;
		default:
			return is_alnum(r);
		}
	return is_letter(r);
}

/* "invalid char %q" for the printable ASCII that some kind of path
 * rejects; letters and digits are never rejected by checkElem. */
static const char punct[] = " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
static const char *const punct_reason[] = {
	"invalid char ' '", "invalid char '!'", "invalid char '\"'", "invalid char '#'",
	"invalid char '$'", "invalid char '%'", "invalid char '&'", "invalid char '\\''",
	"invalid char '('", "invalid char ')'", "invalid char '*'", "invalid char '+'",
	"invalid char ','", "invalid char '-'", "invalid char '.'", "invalid char '/'",
	"invalid char ':'", "invalid char ';'", "invalid char '<'", "invalid char '='",
	"invalid char '>'", "invalid char '?'", "invalid char '@'", "invalid char '['",
	"invalid char '\\\\'", "invalid char ']'", "invalid char '^'", "invalid char '_'",
	"invalid char '`'", "invalid char '{'", "invalid char '|'", "invalid char '}'",
	"invalid char '~'",
};

static const char *invalid_char(uint32_t r)
{
	const char *p;
	if (r >= 0x80)
		return "invalid non-ascii char";
	if (r != 0 && (p = strchr(punct, (int)r)) != NULL)
		return punct_reason[p - punct];
	return "invalid control char";
}

/* Reserved device names on Windows, whatever the case and extension
 * (module.go badWindowsNames; learn.microsoft.com "Naming Files, Paths,
 * and Namespaces"): three or four letters each.  Their letters have no
 * non-ASCII case-fold partners, so an ASCII comparison equals Go's
 * strings.EqualFold here. */
static const char *const bad_windows_names[] = {
	"CON", "PRN", "AUX", "NUL",
	"COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
	"LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
};

static int ascii_fold_eq(const char *s, size_t n, const char *upper)
{
	size_t i;
	if (strlen(upper) != n)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_lower(c))
			c = (unsigned char)(c - 'a' + 'A');
		if (c != (unsigned char)upper[i])
			return 0;
	}
	return 1;
}

/* module.go checkElem: one slash-free element of a path. */
static const char *check_elem(const char *e, size_t n, enum kind kind)
{
	size_t i, shortlen, dots = 0, rl;
	uint32_t r;
	const char *dot;

	if (n == 0)
		return "empty path element";
	for (i = 0; i < n; i++)
		dots += e[i] == '.';
	if (dots == n)
		return "invalid path element of only dots";
	/* ".gitignore" is a fine file name or package directory, but a
	 * module path element may not hide itself. */
	if (e[0] == '.' && kind == MODULE_PATH)
		return "leading dot in path element";
	if (e[n - 1] == '.')
		return "trailing dot in path element";
	for (i = 0; i < n; i += rl) {
		int ok;
		if ((unsigned char)e[i] < 0x80) {
			r = (unsigned char)e[i];
			rl = 1;
		} else if ((rl = decode_valid((const unsigned char *)e + i, &r)) == 0)
			return "invalid utf-8";
		switch (kind) {
		case MODULE_PATH: ok = mod_path_ok(r); break;
		case IMPORT_PATH: ok = import_path_ok(r); break;
		default: ok = file_name_ok(r); break;
		}
		if (!ok)
			return invalid_char(r);
	}

	/* Windows reserves CON, COM1 and the rest even with an extension. */
	dot = memchr(e, '.', n);
	shortlen = dot ? (size_t)(dot - e) : n;
	for (i = 0; (shortlen == 3 || shortlen == 4) && i < sizeof bad_windows_names / sizeof bad_windows_names[0];
	     i++)
		if (ascii_fold_eq(e, shortlen, bad_windows_names[i]))
			return "reserved windows name as path element";

	/* Elements like "longna~1" look like Windows 8.3 short names, which
	 * could alias another element; file names inside a module are exempt. */
	if (kind != FILE_PATH) {
		const char *tilde = NULL;
		for (i = 0; i < shortlen; i++)
			if (e[i] == '~')
				tilde = e + i;
		if (tilde != NULL && tilde < e + shortlen - 1) {
			for (i = (size_t)(tilde - e) + 1; i < shortlen && is_digit((unsigned char)e[i]); i++)
				;
			if (i == shortlen)
				return "trailing tilde and digits in path element";
		}
	}
	return NULL;
}

/* module.go checkPath: the rules common to all three kinds. */
static const char *check_path(const char *path, enum kind kind)
{
	const char *start, *p, *why;
	size_t n;

	if (path == NULL)
		return "empty string";
	if (!utf8_valid(path, strlen(path)))
		return "invalid utf-8";
	n = strlen(path);
	if (n == 0)
		return "empty string";
	/* A leading dash would read as a flag to go get, git and the shell. */
	if (path[0] == '-' && kind != FILE_PATH)
		return "leading dash";
	if (strstr(path, "//") != NULL)
		return "double slash";
	if (path[n - 1] == '/')
		return "trailing slash";
	for (start = p = path;; p++) {
		if (*p == '/' || *p == '\0') {
			if ((why = check_elem(start, (size_t)(p - start), kind)) != NULL)
				return why;
			if (*p == '\0')
				return NULL;
			start = p + 1;
		}
	}
}

/* module.CheckPath: an import path whose first element is a lowercase
 * LDH domain name with a dot, and whose major-version suffix is well
 * formed (go.dev/ref/mod#module-path). */
static const char *module_check(const char *path)
{
	const char *why, *slash, *p, *major;
	size_t first, prefixlen;

	if ((why = check_path(path, MODULE_PATH)) != NULL)
		return why;
	slash = strchr(path, '/');
	first = slash ? (size_t)(slash - path) : strlen(path);
	if (first == 0)
		return "leading slash";
	if (memchr(path, '.', first) == NULL)
		return "missing dot in first path element";
	if (path[0] == '-')
		return "leading dash in first path element";
	for (p = path; p < path + first; p++) {
		/* Lowercase only, so a domain has one spelling on
		 * case-insensitive file systems. */
		if (is_upper((unsigned char)*p))
			return "uppercase letter in first path element";
		if (!(is_lower((unsigned char)*p) || is_digit((unsigned char)*p) || *p == '-' || *p == '.'))
			return *p == '_' ? "invalid char '_' in first path element"
			     : *p == '~' ? "invalid char '~' in first path element"
			     : "invalid char in first path element";
	}
	if (modpath_split_major(path, &prefixlen, &major) != 0)
		return "invalid major version suffix";
	return NULL;
}

/* A request asks about its module path three times or more (the route,
 * the store's file names, the index keys), and the go command asks for a
 * module's files in a row: the last path found valid is remembered (the
 * answer depends on the path alone). */
const char *modpath_check(const char *path)
{
	static char last[MODPATH_MAX + 1];
	return check_remembered(last, sizeof last, path, module_check);
}

const char *modpath_check_import(const char *path)
{
	return check_path(path, IMPORT_PATH);
}

const char *modpath_check_file(const char *path)
{
	return check_path(path, FILE_PATH);
}

/* module.go splitGopkgIn: gopkg.in/NAME.vN or gopkg.in/USER/NAME.vN, with
 * an optional "-unstable"; .v0 is allowed, other leading zeros are not. */
static int split_gopkg_in(const char *path, size_t n, size_t *prefixlen, const char **major)
{
	static const char unstable[] = "-unstable";
	size_t i = n, ul = sizeof unstable - 1;

	if (i >= ul && memcmp(path + i - ul, unstable, ul) == 0)
		i -= ul;
	while (i > 0 && is_digit((unsigned char)path[i - 1]))
		i--;
	if (i <= 1 || path[i - 1] != 'v' || path[i - 2] != '.')
		return -1;      /* every gopkg.in path ends in .vN */
	i -= 2;
	if (n - i <= 2 || (path[i + 2] == '0' && !(n - i == 3)))
		return -1;
	*prefixlen = i;
	*major = path + i;
	return 0;
}

/* module.SplitPathVersion: a final "/vN" with N >= 2 and no leading zero
 * or dot is the major-version suffix; "/v0", "/v1", "/v05" and "/v2.0"
 * make the path invalid; anything else has no suffix. */
int modpath_split_major(const char *path, size_t *prefixlen, const char **major)
{
	size_t n = strlen(path), i = n;
	int dot = 0, rc;

	*prefixlen = n;
	*major = path + n;
	if (strncmp(path, "gopkg.in/", 9) == 0) {
		rc = split_gopkg_in(path, n, prefixlen, major);
		if (rc != 0) {
			*prefixlen = n;
			*major = path + n;
		}
		return rc;
	}
	while (i > 0 && (is_digit((unsigned char)path[i - 1]) || path[i - 1] == '.')) {
		dot |= path[i - 1] == '.';
		i--;
	}
	if (i <= 1 || i == n || path[i - 1] != 'v' || path[i - 2] != '/')
		return 0;
	i -= 2;
	if (dot || n - i <= 2 || path[i + 2] == '0' || (n - i == 3 && path[i + 2] == '1'))
		return -1;
	*prefixlen = i;
	*major = path + i;
	return 0;
}

/* module.CheckPathMajor (go.dev/ref/mod#major-version-suffixes): no suffix
 * takes v0, v1 or any +incompatible version; "/vN" and gopkg.in ".vN"
 * take vN only.  gopkg.in's "-unstable" does not change the major, and
 * ".v1" also takes the v0.0.0- pseudo-versions early vgo generated for it. */
const char *modpath_check_major(const char *version, const char *major)
{
	size_t n = strlen(major), m = 0;

	if (n >= 2 + 9 && major[0] == '.' && major[1] == 'v' && strcmp(major + n - 9, "-unstable") == 0)
		n -= 9;
	if (strncmp(version, "v0.0.0-", 7) == 0 && n == 3 && memcmp(major, ".v1", 3) == 0)
		return NULL;
	/* semver.Major: "v" and the major number, "" if version is invalid */
	if (semver_valid(version))
		for (m = 1; is_digit((unsigned char)version[m]); m++)
			;
	if (n == 0) {
		if ((m == 2 && (version[1] == '0' || version[1] == '1')) || semver_is_incompatible(version))
			return NULL;
		return "version major should be v0 or v1 for a path without a major suffix";
	}
	if ((major[0] == '/' || major[0] == '.') && m == n - 1 && memcmp(version, major + 1, m) == 0)
		return NULL;
	return "version major does not match the path's major suffix";
}

/* module.Check, and stricter in one way: the version must also be in the
 * canonical form module.CanonicalVersion gives (v1.2.3, not v1.2 or
 * v1.2.3+meta; +incompatible kept), the only form the go command asks a
 * proxy for (go.dev/ref/mod#versions).  The short forms v1 and v1.2 take
 * no build suffix, so a version with "+incompatible" is otherwise full. */
const char *modpath_check_module(const char *path, const char *version)
{
	size_t prefixlen;
	const char *major, *why;

	if ((why = modpath_check(path)) != NULL)
		return why;
	if (!semver_valid(version))
		return "not a semantic version";
	if (!semver_is_module_canonical(version))
		return "version not canonical";
	modpath_split_major(path, &prefixlen, &major);
	return modpath_check_major(version, major);
}

static int fail(const char **why, const char *reason)
{
	if (why != NULL)
		*why = reason;
	return -1;
}

/* s copied whole when escaping and unescaping leave it as it is (no
 * uppercase letter, '!' or non-ASCII byte: most paths and versions) and
 * it fits: 1; else 0, nothing done. */
static int copy_plain(const char *s, char *out, size_t outsz)
{
	/* plain: 0x5b-0x7f (the lowercase letters), 0x22-0x40 (digits, '.',
	 * '/', '-', '@'), 0x01-0x20; asked in that order, the most common
	 * first */
	const char *p = s;
	for (unsigned c; (c = (unsigned char)*p) - 0x5b < 0x25 || c - 0x22 < 0x1f || c - 0x01 < 0x20; p++)
		;
	size_t n = (size_t)(p - s);
	if (*p || n >= outsz)
		return 0;
	memcpy(out, s, n + 1);
	return 1;
}

/* module.go escapeString: each uppercase ASCII letter becomes '!' and the
 * lowercase letter (go.dev/ref/mod#goproxy-protocol), so two paths that
 * differ only in case never collide on a case-insensitive file system. */
static int escape(const char *s, char *out, size_t outsz, const char **why)
{
	if (copy_plain(s, out, outsz))
		return 0;
	size_t o = 0;
	for (; *s; s++) {
		int up = is_upper((unsigned char)*s);
		if (*s == '!' || (unsigned char)*s >= 0x80)
			return fail(why, "'!' or non-ascii char cannot be escaped");
		if (o + (size_t)up + 2 > outsz)
			return fail(why, "output buffer too small");
		if (up) {
			out[o++] = '!';
			out[o++] = (char)(*s - 'A' + 'a');
		} else {
			out[o++] = *s;
		}
	}
	if (outsz == 0)
		return fail(why, "output buffer too small");
	out[o] = '\0';
	return 0;
}

/* module.go unescapeString: the inverse, refusing anything escape could
 * not have produced, so each path has exactly one escaped form. */
static int unescape(const char *s, char *out, size_t outsz, const char **why)
{
	if (copy_plain(s, out, outsz))
		return 0;
	size_t o = 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x80)
			return fail(why, "non-ascii char in escaped form");
		if (is_upper(c))
			return fail(why, "uppercase letter in escaped form");
		if (c == '!') {
			c = (unsigned char)*++s;
			if (!is_lower(c))
				return fail(why, "'!' not followed by a lowercase letter");
			c = (unsigned char)(c - 'a' + 'A');
		}
		if (o + 2 > outsz)
			return fail(why, "output buffer too small");
		out[o++] = (char)c;
	}
	if (outsz == 0)
		return fail(why, "output buffer too small");
	out[o] = '\0';
	return 0;
}

int modpath_escape_path(const char *path, char *out, size_t outsz, const char **why)
{
	const char *reason = modpath_check(path);
	if (reason != NULL)
		return fail(why, reason);
	return escape(path, out, outsz, why);
}

int modpath_unescape_path(const char *esc, char *out, size_t outsz, const char **why)
{
	const char *reason;
	if (unescape(esc, out, outsz, why) != 0)
		return -1;
	if ((reason = modpath_check(out)) != NULL)
		return fail(why, reason);
	return 0;
}

static const char *version_elem(const char *v)
{
	return check_elem(v, strlen(v), FILE_PATH);
}

/* check_elem for a version, the last one found valid remembered, as
 * modpath_check remembers its path: a request checks its version as the
 * route decodes it and again as the store names its files. */
static const char *check_version(const char *v)
{
	static char last[VERSION_MAX + 1];
	return check_remembered(last, sizeof last, v, version_elem);
}

/* module.EscapeVersion: a version need not be semver ("master" appears in
 * queries) but must be a valid file name element and free of '!'. */
int modpath_escape_version(const char *v, char *out, size_t outsz, const char **why)
{
	const char *reason = check_version(v);
	if (reason != NULL)
		return fail(why, reason);
	if (strchr(v, '!') != NULL)
		return fail(why, "invalid char '!' in version");
	return escape(v, out, outsz, why);
}

/* module.UnescapeVersion. */
int modpath_unescape_version(const char *esc, char *out, size_t outsz, const char **why)
{
	const char *reason;
	if (unescape(esc, out, outsz, why) != 0)
		return -1;
	if ((reason = check_version(out)) != NULL)
		return fail(why, reason);
	return 0;
}

/* ---- path.Match, as Go's path package has it (Go 1.19 src/path/match.go):
 * '*' any run of bytes but '/', '?' one character but '/', '[' ['^']
 * ranges ']' a class of characters (runes), '\' the next byte itself.
 * The pattern is read as Go reads it, so a pattern malformed there is
 * malformed here (ErrBadPattern), and nothing of libc's fnmatch ('!' as
 * negation, escapes inside a class) differs from the go command's. */

/* scanChunk: the stars at *p (any), then the chunk up to the next star
 * outside a class; *p and *pl move past both */
static int scan_chunk(const char **p, size_t *pl, const char **chunk, size_t *cl)
{
	const char *s = *p;
	size_t n = *pl, i;
	int star = 0, inrange = 0;
	for (; n && *s == '*'; s++, n--)
		star = 1;
	for (i = 0; i < n; i++) {
		if (s[i] == '\\') {
			if (i + 1 < n)
				i++;
		} else if (s[i] == '[')
			inrange = 1;
		else if (s[i] == ']')
			inrange = 0;
		else if (s[i] == '*' && !inrange)
			break;
	}
	*chunk = s;
	*cl = i;
	*p = s + i;
	*pl = n - i;
	return star;
}

/* getEsc: a class's character at *c, '\' escaping it; -1 malformed (none,
 * '-' or ']' first, not UTF-8, or nothing after it) */
static int get_esc(const char **c, size_t *cl, uint32_t *r)
{
	const char *s = *c;
	size_t n = *cl, k;
	if (!n || *s == '-' || *s == ']')
		return -1;
	if (*s == '\\' && --n == 0)
		return -1;
	s += *s == '\\';
	*r = utf8_decode((const unsigned char *)s, n, &k);
	*c = s + k;
	*cl = n - k;
	return (*r == 0xFFFD && k == 1) || n == k ? -1 : 0;
}

/* matchChunk: does chunk c[0, cl) (no star in it) match the start of
 * s[0, sl)?  1 with the rest of s in *t, 0, or -1 malformed; after a
 * mismatch the chunk is still read to the end, for its syntax. */
static int match_chunk(const char *c, size_t cl, const char *s, size_t sl, const char **t, size_t *tl)
{
	int failed = 0;
	size_t k;
	while (cl) {
		failed |= !sl;
		if (*c == '[') {
			uint32_t r = 0, lo, hi;
			if (!failed) {
				r = utf8_decode((const unsigned char *)s, sl, &k);
				s += k, sl -= k;
			}
			c++, cl--;
			int neg = cl && *c == '^', match = 0;
			c += neg, cl -= (size_t)neg;
			for (int nrange = 0;; nrange++) {
				if (cl && *c == ']' && nrange > 0) {
					c++, cl--;
					break;
				}
				if (get_esc(&c, &cl, &lo) < 0)
					return -1;
				hi = lo;
				if (*c == '-' && (c++, cl--, get_esc(&c, &cl, &hi) < 0))
					return -1;
				match |= lo <= r && r <= hi;
			}
			failed |= match == neg;
		} else if (*c == '?') {
			if (!failed) {
				failed = *s == '/';
				utf8_decode((const unsigned char *)s, sl, &k);
				s += k, sl -= k;
			}
			c++, cl--;
		} else {
			if (*c == '\\' && (c++, --cl == 0))
				return -1;
			if (!failed) {
				failed = *c != *s;
				s++, sl--;
			}
			c++, cl--;
		}
	}
	if (failed)
		return 0;
	*t = s;
	*tl = sl;
	return 1;
}

/* path.Match(p[0, pl), s[0, sl)): 1, 0, or -1 for a malformed pattern */
static int path_match(const char *p, size_t pl, const char *s, size_t sl)
{
	const char *c, *t;
	size_t cl, tl;
	while (pl) {
		int star = scan_chunk(&p, &pl, &c, &cl);
		if (star && !cl)
			return memchr(s, '/', sl) == NULL; /* a trailing star: the rest, with no '/' */
		int ok = match_chunk(c, cl, s, sl, &t, &tl);
		if (ok > 0 && (tl == 0 || pl > 0)) {
			s = t, sl = tl;
			continue;
		}
		if (ok < 0)
			return -1;
		/* a star before the chunk: the chunk one byte further on, and
		 * on, but not past a '/'; the last chunk must end the name */
		int found = 0;
		for (size_t i = 0; star && !found && i < sl && s[i] != '/'; i++) {
			ok = match_chunk(c, cl, s + i + 1, sl - i - 1, &t, &tl);
			if (ok < 0)
				return -1;
			found = ok > 0 && !(pl == 0 && tl > 0);
		}
		if (found) {
			s = t, sl = tl;
			continue;
		}
		/* no: but a malformed rest of the pattern says so first */
		while (pl) {
			scan_chunk(&p, &pl, &c, &cl);
			if (match_chunk(c, cl, "", 0, &t, &tl) < 0)
				return -1;
		}
		return 0;
	}
	return sl == 0;
}

/* module.MatchPrefixPatterns for one glob: one trailing slash dropped,
 * an empty glob matches nothing, and a glob of n elements is matched
 * (path.Match; malformed: no match) against the module path's first n
 * elements, of which the path must have as many. */
int modpath_match_glob(const char *glob, size_t globlen, const char *module)
{
	if (globlen && glob[globlen - 1] == '/')
		globlen--;
	if (globlen == 0)
		return 0;
	size_t slashes = 0, n = strlen(module), i;
	for (i = 0; i < globlen; i++)
		slashes += glob[i] == '/';
	for (i = 0; i < n; i++)
		if (module[i] == '/' && slashes-- == 0)
			break;
	if (i == n && slashes > 0)
		return 0;
	return path_match(glob, globlen, module, i) == 1;
}

int modpath_match_patterns(const char *patterns, const char *module)
{
	for (const char *p = patterns; *p;) {
		size_t len = strcspn(p, ",");
		if (modpath_match_glob(p, len, module))
			return 1;
		p += len;
		p += *p == ',';
	}
	return 0;
}
