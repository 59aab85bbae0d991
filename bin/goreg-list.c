/* goreg-list: see goreg-list(1). */
#include "app/tool.h"

int main(int argc, char **argv)
{
	return tool_main("goreg-list", OP_LIST, argc, argv);
}
