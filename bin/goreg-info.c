/* goreg-info: see goreg-info(1). */
#include "app/tool.h"

int main(int argc, char **argv)
{
	return tool_main("goreg-info", OP_INFO, argc, argv);
}
