/* goreg-zip: see goreg-zip(1). */
#include "app/tool.h"

int main(int argc, char **argv)
{
	return tool_main("goreg-zip", OP_ZIP, argc, argv);
}
