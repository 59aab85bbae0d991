/* goreg-latest: see goreg-latest(1). */
#include "app/tool.h"

int main(int argc, char **argv)
{
	return tool_main("goreg-latest", OP_LATEST, argc, argv);
}
