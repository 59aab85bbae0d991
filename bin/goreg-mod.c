/* goreg-mod: see goreg-mod(1). */
#include "app/tool.h"

int main(int argc, char **argv)
{
	return tool_main("goreg-mod", OP_MOD, argc, argv);
}
