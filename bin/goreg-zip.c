/* goreg-zip: see goreg-zip(1). */
#include "tool.h"

int main(int argc, char **argv)
{
	return tool_main("goreg-zip", OP_ZIP, argc, argv);
}
